using System.Runtime.InteropServices;

namespace VirtCapture.Hal.Interop;

/// <summary><c>open</c> and <c>statx</c>: opening without following links and asking a descriptor what it is.</summary>
internal static partial class FileStatusNative
{
    public const int ORdOnly = 0;
    public const int ONonBlock = 0x800;
    public const int OCloExec = 0x80000;
    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtEmptyPath = 0x1000;
    public const uint StatxType = 0x1;
    public const ushort TypeMask = 0xF000;
    public const ushort TypeRegular = 0x8000;

    /// <summary>O_NOFOLLOW differs by architecture: 0x20000 on x86, 0x8000 on arm64.</summary>
    public static readonly int ONoFollow = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statx(int directoryFd, string path, int flags, uint mask, ref StatxBuffer buffer);
}
