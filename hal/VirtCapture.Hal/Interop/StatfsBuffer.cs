using System.Runtime.InteropServices;

namespace VirtCapture.Hal.Interop;

/// <summary>
/// The kernel's <c>struct statfs</c> on a 64-bit target (x86-64 here, arm64 on the board): only its first word, the
/// file system's magic number, is read.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 120)]
internal struct StatfsBuffer
{
    /// <summary>TMPFS_MAGIC (include/uapi/linux/magic.h).</summary>
    public const long TmpfsMagic = 0x01021994;

    /// <summary>RAMFS_MAGIC. f_type is a 64-bit long holding it unsigned, not sign-extended from 32 bits.</summary>
    public const long RamfsMagic = 0x858458f6L;

    /// <summary>f_type: which file system.</summary>
    public long Type;
}
