using System.Runtime.InteropServices;

namespace VirtCapture.Hal.Interop;

/// <summary>
/// glibc's <c>struct statvfs</c> on a 64-bit target (x86-64 here, arm64 on the board): every count is 64 bits wide.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 112)]
internal struct StatvfsBuffer
{
    /// <summary>File system block size.</summary>
    public ulong BlockSize;

    /// <summary>Fragment size: the unit of the block counts.</summary>
    public ulong FragmentSize;

    /// <summary>Size of the file system in fragments.</summary>
    public ulong Blocks;

    /// <summary>Free fragments.</summary>
    public ulong BlocksFree;

    /// <summary>Free fragments for an unprivileged user: what a write can really use.</summary>
    public ulong BlocksAvailable;
}
