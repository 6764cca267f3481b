using System.Runtime.InteropServices;

namespace VirtCapture.Hal.Interop;

/// <summary>The few file calls .NET does not expose: O_DIRECT on an open file, fsync, ftruncate, the file system's type.</summary>
internal static unsafe partial class FileNative
{
    private const int F_GETFL = 3;
    private const int F_SETFL = 4;

    /// <summary>O_DIRECT differs by architecture: 0x4000 on x86, 0x10000 on arm64 (the reference board).</summary>
    private static readonly int ODirect = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x10000 : 0x4000;

    /// <summary>Turns O_DIRECT on or off; false when the file system refuses it (tmpfs on older kernels).</summary>
    public static bool SetDirect(SafeHandle file, bool on)
    {
        var fd = (int)file.DangerousGetHandle();
        var flags = fcntl(fd, F_GETFL, 0);
        return flags >= 0 && fcntl(fd, F_SETFL, on ? flags | ODirect : flags & ~ODirect) == 0;
    }

    /// <summary>True when the open file lives in memory (tmpfs, ramfs), where the page cache is the storage itself.</summary>
    public static bool IsInMemory(SafeHandle file)
    {
        StatfsBuffer buffer;
        return fstatfs((int)file.DangerousGetHandle(), &buffer) == 0 && buffer.Type is StatfsBuffer.TmpfsMagic or StatfsBuffer.RamfsMagic;
    }

    /// <summary>fsync; throws with errno and path on failure.</summary>
    public static void Sync(SafeHandle file, string path)
    {
        if (fsync((int)file.DangerousGetHandle()) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"fsync of {path} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
    }

    /// <summary>ftruncate; best effort (used after a write already failed).</summary>
    public static bool Truncate(SafeHandle file, long length) => ftruncate((int)file.DangerousGetHandle(), length) == 0;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fcntl(int fd, int command, int argument);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ftruncate(int fd, long length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fstatfs(int fd, StatfsBuffer* buffer);
}
