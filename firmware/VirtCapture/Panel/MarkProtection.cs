using VirtCapture.Pipeline;

namespace VirtCapture.Panel;

/// <summary>
/// Files the ring must not delete: the ones holding the minutes before a MARK and the file being written then.
/// Kept in <c>.protected</c> in the capture directory, so protection survives a restart.
/// </summary>
internal sealed class MarkProtection
{
    private const string FileName = ".protected";
    private readonly string _path;
    private readonly TimeSpan _window;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public MarkProtection(string directory, TimeSpan window)
    {
        _path = Path.Combine(directory, FileName);
        _window = window;
        if (File.Exists(_path))
        {
            foreach (var line in File.ReadAllLines(_path))
            {
                if (line.Length > 0)
                {
                    _names.Add(line);
                }
            }
        }
    }

    /// <summary>Names of the protected files.</summary>
    public IReadOnlyCollection<string> Names
    {
        get
        {
            lock (_lock)
            {
                return [.. _names.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>True when the ring may not delete <paramref name="path"/>.</summary>
    public bool IsProtected(string path)
    {
        lock (_lock)
        {
            return _names.Contains(Path.GetFileName(path));
        }
    }

    /// <summary>Protects the file being written and every file written to within the window before now.</summary>
    public void Protect(DateTime nowUtc, string? currentPath, IEnumerable<RingFile> finished)
    {
        lock (_lock)
        {
            if (currentPath is not null)
            {
                _names.Add(Path.GetFileName(currentPath.EndsWith(RingFileSet.PartSuffix, StringComparison.Ordinal) ? currentPath[..^RingFileSet.PartSuffix.Length] : currentPath));
            }

            foreach (var file in finished)
            {
                if (File.Exists(file.Path) && File.GetLastWriteTimeUtc(file.Path) >= nowUtc - _window)
                {
                    _names.Add(Path.GetFileName(file.Path));
                }
            }

            var temporary = _path + ".tmp";
            File.WriteAllLines(temporary, _names.Order(StringComparer.Ordinal));
            File.Move(temporary, _path, overwrite: true);
        }
    }
}
