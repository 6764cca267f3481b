using Microsoft.Win32.SafeHandles;

namespace VirtCapture.Hal.Links;

/// <summary>
/// One sysfs attribute kept open and read again from offset 0 (sysfs regenerates the value on each read there): a
/// refresh costs one <c>pread</c>, not a path walk, an open and a close. A read that fails (the interface was removed:
/// ENODEV) closes the file; the next read opens it again, so a port that comes back is seen.
/// </summary>
internal sealed class SysfsAttribute : IDisposable
{
    private readonly string _path;
    private SafeFileHandle? _file;

    public SysfsAttribute(string path) => _path = path;

    /// <summary>Reads the value into <paramref name="buffer"/> without its trailing newline; -1 when it cannot be read.</summary>
    public int Read(Span<byte> buffer)
    {
        // A file held open from before the interface was removed fails once; the second try opens the new one.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var wasOpen = _file is not null;
            try
            {
                // A missing attribute (no such interface) is the common failure: looked for, not thrown for, each refresh.
                if (_file is null && File.Exists(_path))
                {
                    _file = File.OpenHandle(_path, FileMode.Open, FileAccess.Read);
                }

                if (_file is null)
                {
                    return -1;
                }

                var read = RandomAccess.Read(_file, buffer, 0);
                while (read > 0 && buffer[read - 1] is (byte)'\n' or (byte)' ')
                {
                    read--;
                }

                return read;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Dispose();
                if (!wasOpen)
                {
                    break;
                }
            }
        }

        return -1;
    }

    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
    }
}
