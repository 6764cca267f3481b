using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace VirtCapture.Storage;

/// <summary>
/// Opens and inspects capture files without following symbolic links and without blocking on FIFOs or devices:
/// a name in the capture directory reaches a regular file in that directory, or nothing.
/// </summary>
internal static partial class RegularFile
{
    private const int ORdOnly = 0;
    private const int ONonBlock = 0x800;
    private const int OCloExec = 0x80000;
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1;
    private const ushort TypeMask = 0xF000;
    private const ushort TypeRegular = 0x8000;

    /// <summary>O_NOFOLLOW differs by architecture: 0x20000 on x86, 0x8000 on arm64.</summary>
    private static readonly int ONoFollow = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    /// <summary>True when <paramref name="path"/> itself (not what a link points to) is a regular file.</summary>
    public static bool Is(string path)
    {
        var buffer = default(StatxBuffer);
        return statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, ref buffer) == 0 && (buffer.Mode & TypeMask) == TypeRegular;
    }

    /// <summary>
    /// Opens <paramref name="path"/> for reading if it is a regular file and not a link; null otherwise (missing, a
    /// link, a FIFO, a device, a directory). Never blocks.
    /// </summary>
    public static FileStream? OpenRead(string path, int bufferSize = 4096)
    {
        var fd = open(path, ORdOnly | ONonBlock | OCloExec | ONoFollow);
        if (fd < 0)
        {
            return null;
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var buffer = default(StatxBuffer);
        if (statx(fd, string.Empty, AtEmptyPath, StatxType, ref buffer) != 0 || (buffer.Mode & TypeMask) != TypeRegular)
        {
            handle.Dispose();
            return null;
        }

        return new FileStream(handle, FileAccess.Read, bufferSize);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int directoryFd, string path, int flags, uint mask, ref StatxBuffer buffer);
}
