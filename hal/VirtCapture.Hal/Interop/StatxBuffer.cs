using System.Runtime.InteropServices;

namespace VirtCapture.Hal.Interop;

/// <summary>
/// The head of the kernel's <c>struct statx</c> (include/uapi/linux/stat.h), which, unlike <c>struct stat</c>, has one
/// layout on every architecture (x86-64 here, arm64 on the board). Only the fields read are named; the rest is room.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 256)]
internal struct StatxBuffer
{
    /// <summary>Which fields the kernel filled.</summary>
    public uint Mask;

    /// <summary>Preferred I/O block size.</summary>
    public uint BlockSize;

    /// <summary>File attributes.</summary>
    public ulong Attributes;

    /// <summary>Hard links.</summary>
    public uint Links;

    /// <summary>Owner.</summary>
    public uint Uid;

    /// <summary>Group.</summary>
    public uint Gid;

    /// <summary>File type and mode (S_IFMT bits and permissions).</summary>
    public ushort Mode;

    /// <summary>Padding in the kernel's struct.</summary>
    public ushort Spare0;

    /// <summary>Inode number.</summary>
    public ulong Inode;

    /// <summary>Size in bytes.</summary>
    public ulong Size;
}
