using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using VirtCapture.Daemon;
using VirtCapture.Pcapng;
using VirtCapture.Pipeline;
using VirtCapture.Storage;

namespace VirtCapture.Management;

/// <summary>
/// The capture directory as the API shows it: names validated so that no request reaches a file outside it, and a
/// summary of each file (frames, time range, drops) computed once per file version and cached. A file the ring closes
/// is summarised from the ring's own tallies and goes into the index on the disk (<see cref="CatalogUpkeep"/> saves
/// it), so a boot walks only the files the index does not know: the unfinished ones, and any put there by hand.
/// </summary>
internal sealed partial class CaptureCatalog
{
    // Files closed before the index was loaded, kept at most (the rest are walked once, later).
    private const int MaxLearned = 10_000;
    private readonly CaptureService _capture;
    private readonly ConcurrentDictionary<string, (long Size, DateTime Modified, CaptureFileSummary Summary)> _cache = new();
    private readonly Lock _indexLock = new();
    private readonly Lock _listLock = new();
    private CatalogIndex? _index;
    private string? _indexDirectory;
    private Dictionary<string, CatalogIndexEntry> _indexed = [];
    // Closed by the ring before the index was loaded: merged into it when it is.
    private readonly List<CatalogIndexEntry> _learned = [];
    private readonly Lock _saveLock = new();
    private bool _indexStale;
    private long _generation;
    private long _savedGeneration;
    private CaptureSession? _attached;

    public CaptureCatalog(CaptureService capture)
    {
        _capture = capture;
        capture.SessionCreated += Attach;
        if (capture.Session is { } running)
        {
            Attach(running);
        }
    }

    // Without a trailing separator, as Path.GetDirectoryName gives a file's directory ("captures/" names the same place).
    private string Directory => Path.TrimEndingDirectorySeparator(Path.GetFullPath(_capture.Storage.Directory));

    /// <summary>
    /// The path of a capture file named <paramref name="name"/>, or null when the name is not one of ours (anything
    /// with a separator, "..", or another extension) or no such file exists.
    /// </summary>
    public string? Resolve(string name)
    {
        if (!IsValidName(name))
        {
            return null;
        }

        var path = Path.GetFullPath(Path.Combine(Directory, name));
        return Path.GetDirectoryName(path) == Directory && RegularFile.Is(path) ? path : null;
    }

    /// <summary>
    /// Opens the capture file named <paramref name="name"/> for reading: only a regular file really in the capture
    /// directory (never what a link points to, never a FIFO or device); null otherwise.
    /// </summary>
    public FileStream? OpenRead(string name, int bufferSize = 4096) => Resolve(name) is { } path ? RegularFile.OpenRead(path, bufferSize) : null;

    /// <summary>True for names the catalog can hold.</summary>
    public static bool IsValidName(string name) => name.Length <= 200 && SafeName().IsMatch(name);

    /// <summary>True while the file is being written.</summary>
    public bool IsWriting(string path) =>
        path.EndsWith(RingFileSet.PartSuffix, StringComparison.Ordinal) || (_capture.Session?.Pipeline.Ring.CurrentPath is { } current && current == path + RingFileSet.PartSuffix);

    /// <summary>Every capture file, oldest first.</summary>
    public IReadOnlyList<CaptureFileSummary> List()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var files = System.IO.Directory.GetFiles(Directory, "*.pcapng").Concat(System.IO.Directory.GetFiles(Directory, "*.pcapng.part"))
            .Where(f => IsValidName(Path.GetFileName(f)) && RegularFile.Is(f))
            .Order(StringComparer.Ordinal)
            .ToArray();
        // One listing at a time: a request that arrives while the start-up warm-up walks new files waits for that
        // walk instead of repeating it.
        lock (_listLock)
        {
            LoadIndex();
            var result = new List<CaptureFileSummary>();
            foreach (var file in files)
            {
                try
                {
                    result.Add(Summarize(file));
                }
                catch (IOException)
                {
                    // Deleted by the ring between the listing and the reading.
                }
            }

            SaveIndexIfStale(files);
            Forget(files);
            return result;
        }
    }

    /// <summary>Writes the index if files were summarised since it was last written (best effort).</summary>
    public void SaveIndex()
    {
        // Every few seconds on a box whose ring may hold thousands of files: no directory listing unless a file closed
        // (deletions come with closes; a listing prunes the rest).
        lock (_indexLock)
        {
            if (!_indexStale)
            {
                return;
            }
        }

        if (!System.IO.Directory.Exists(Directory))
        {
            return;
        }

        LoadIndex();
        SaveIndexIfStale(System.IO.Directory.GetFiles(Directory, "*.pcapng"));
    }

    private void Attach(CaptureSession session)
    {
        // Once per session, however it was found (the session may start while the catalog is being built).
        if (!ReferenceEquals(Interlocked.Exchange(ref _attached, session), session))
        {
            session.Pipeline.Ring.FileClosed += Learn;
        }
    }

    // The writer's thread, as each file closes: what the ring wrote is what a walk would find.
    private void Learn(ClosedRingFile file)
    {
        var name = Path.GetFileName(file.Path);
        var directory = Directory;
        // A single output file elsewhere is not the catalog's.
        if (!IsValidName(name) || name.EndsWith(RingFileSet.PartSuffix, StringComparison.Ordinal) || Path.GetDirectoryName(Path.GetFullPath(file.Path)) != directory)
        {
            return;
        }

        var entry = new CatalogIndexEntry(name, file.Length, file.ModifiedUtc.Ticks, file.FirstNs == 0 ? null : FromNs(file.FirstNs), file.LastNs == 0 ? null : FromNs(file.LastNs), file.Frames, file.Drops);
        lock (_indexLock)
        {
            if (_indexDirectory == directory)
            {
                _indexed[name] = entry;
                _indexStale = true;
            }
            else if (_learned.Count < MaxLearned)
            {
                _learned.Add(entry);
            }
        }
    }

    // The ring deletes files all day (one a second with short files): their summaries go with them, or a box that
    // runs for weeks would keep one for every file it ever wrote.
    private void Forget(string[] present)
    {
        if (_cache.Count <= present.Length)
        {
            return;
        }

        var keep = new HashSet<string>(present, StringComparer.Ordinal);
        foreach (var path in _cache.Keys)
        {
            if (!keep.Contains(path))
            {
                _cache.TryRemove(path, out _);
            }
        }
    }

    /// <summary>Summary of one file (cached until it changes).</summary>
    public CaptureFileSummary Summarize(string path)
    {
        var info = new FileInfo(path);
        var name = info.Name;
        var writing = IsWriting(path);
        var isProtected = _capture.HeldBecause(name) is not null;
        if (_cache.TryGetValue(path, out var cached) && cached.Size == info.Length && cached.Modified == info.LastWriteTimeUtc)
        {
            return cached.Summary with { Protected = isProtected, Writing = writing };
        }

        CaptureFileSummary summary;
        if (!writing && IndexedEntry(name) is { } known && known.Size == info.Length && known.ModifiedTicks == info.LastWriteTimeUtc.Ticks)
        {
            summary = new CaptureFileSummary(name, info.Length, known.First, known.Last, known.Frames, known.Drops, isProtected, writing, info.LastWriteTimeUtc);
        }
        else
        {
            var (frames, drops, first, last) = Scan(path);
            summary = new CaptureFileSummary(name, info.Length, first, last, frames, drops, isProtected, writing, info.LastWriteTimeUtc);
            if (!writing)
            {
                lock (_indexLock)
                {
                    _indexed[name] = new CatalogIndexEntry(name, info.Length, info.LastWriteTimeUtc.Ticks, first, last, frames, drops);
                    _indexStale = true;
                }
            }
        }

        _cache[path] = (info.Length, info.LastWriteTimeUtc, summary);
        return summary;
    }

    private CatalogIndexEntry? IndexedEntry(string name)
    {
        lock (_indexLock)
        {
            return _indexed.GetValueOrDefault(name);
        }
    }

    private void LoadIndex()
    {
        // Loaded once per directory (the directory is fixed where the box is installed, but tests move it), and read
        // outside the lock: the ring's thread takes it as each file closes.
        var directory = Directory;
        lock (_indexLock)
        {
            if (_indexDirectory == directory)
            {
                return;
            }
        }

        var index = new CatalogIndex(directory);
        var loaded = index.Load();
        lock (_indexLock)
        {
            if (_indexDirectory == directory)
            {
                return;
            }

            _indexDirectory = directory;
            _index = index;
            _indexed = loaded;
            _indexStale = false;
            foreach (var entry in _learned)
            {
                _indexed[entry.Name] = entry;
                _indexStale = true;
            }

            _learned.Clear();
        }
    }

    // The index holds the finished files present (the ring deletes files all day): written when that set or a summary
    // changed.
    private void SaveIndexIfStale(string[] present)
    {
        CatalogIndex? index;
        List<CatalogIndexEntry> entries;
        long generation;
        lock (_indexLock)
        {
            if (_index is null || _indexDirectory != Directory)
            {
                return;
            }

            // A file closed since the caller listed the directory is not gone: each missing one is looked for again.
            var names = present.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
            var gone = _indexed.Keys.Where(n => !names.Contains(n) && !File.Exists(Path.Combine(Directory, n))).ToList();
            if (!_indexStale && gone.Count == 0)
            {
                return;
            }

            foreach (var name in gone)
            {
                _indexed.Remove(name);
            }

            entries = [.. _indexed.Values];
            _indexStale = false;
            index = _index;
            generation = ++_generation;
        }

        // Written outside the lock (the ring's thread takes it at every close); a save that lost the race to a newer
        // one does not put its older list back.
        lock (_saveLock)
        {
            if (generation > _savedGeneration)
            {
                index.Save(entries);
                _savedGeneration = generation;
            }
        }
    }

    private static (long Frames, long Drops, DateTimeOffset? First, DateTimeOffset? Last) Scan(string path)
    {
        using var stream = RegularFile.OpenRead(path, 1 << 20) ?? throw new IOException($"{path} is not a regular file");
        var scan = new CatalogScan();
        // A file being cut by the ring or by a crash counts what is whole.
        PcapngFileScanner.Scan(stream.SafeFileHandle, 0, ref scan);
        return (scan.Frames, scan.Drops, scan.FirstNs == 0 ? null : FromNs(scan.FirstNs), scan.LastNs == 0 ? null : FromNs(scan.LastNs));
    }

    private static DateTimeOffset FromNs(long ns) => DateTimeOffset.UnixEpoch.AddTicks(ns / 100);

    // \z, not $: $ also matches before a final newline, and "x.pcapng\n" must not pass.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]*\.pcapng(\.part)?\z")]
    private static partial Regex SafeName();
}
