using Microsoft.Win32.SafeHandles;
using VirtCapture.Hal.Interop;
using static VirtCapture.Hal.Interop.FileStatusNative;

namespace VirtCapture.Storage;

/// <summary>
/// Opens and inspects capture files without following symbolic links and without blocking on FIFOs or devices:
/// a name in the capture directory reaches a regular file in that directory, or nothing.
/// </summary>
internal static class RegularFile
{
    /// <summary>True when <paramref name="path"/> itself (not what a link points to) is a regular file.</summary>
    public static bool Is(string path)
    {
        var buffer = default(StatxBuffer);
        return Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, ref buffer) == 0 && (buffer.Mode & TypeMask) == TypeRegular;
    }

    /// <summary>
    /// Opens <paramref name="path"/> for reading if it is a regular file and not a link; null otherwise (missing, a
    /// link, a FIFO, a device, a directory). Never blocks.
    /// </summary>
    public static FileStream? OpenRead(string path, int bufferSize = 4096) =>
        OpenHandle(path) is { } handle ? new FileStream(handle, FileAccess.Read, bufferSize) : null;

    /// <summary>The same as <see cref="OpenRead"/>, as a bare handle for readers that use offsets.</summary>
    public static SafeFileHandle? OpenHandle(string path)
    {
        var fd = Open(path, ORdOnly | ONonBlock | OCloExec | ONoFollow);
        if (fd < 0)
        {
            return null;
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var buffer = default(StatxBuffer);
        if (Statx(fd, string.Empty, AtEmptyPath, StatxType, ref buffer) != 0 || (buffer.Mode & TypeMask) != TypeRegular)
        {
            handle.Dispose();
            return null;
        }

        return handle;
    }
}
