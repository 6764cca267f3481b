using System.Runtime.InteropServices;

namespace VirtCapture.Hal.Interop;

/// <summary><c>statvfs</c>: a file system's size and free space, with no allocation (it is asked per written segment).</summary>
internal static unsafe partial class FileSystemNative
{
    [LibraryImport("libc", EntryPoint = "statvfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatVfs(string path, StatvfsBuffer* buffer);

    /// <summary>Free bytes (for an unprivileged writer) and total bytes of the file system holding <paramref name="path"/>.</summary>
    /// <exception cref="IOException">statvfs failed; the message names the path and the errno.</exception>
    public static (long Free, long Total) Measure(string path)
    {
        StatvfsBuffer buffer;
        if (StatVfs(path, &buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot measure the disk holding {path}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }

        return ((long)(buffer.BlocksAvailable * buffer.FragmentSize), (long)(buffer.Blocks * buffer.FragmentSize));
    }
}
