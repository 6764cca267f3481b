using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using VirtCapture.Pcapng;

namespace VirtCapture.Pipeline;

/// <summary>
/// Stage 6, the end of the data path (frame source → filter → slicer → buffer → pcapng writer → <b>ring files</b>):
/// the set of pcapng files on the SSD, like dumpcap's ring buffer. Rotates by size and duration, retains by file
/// count and free space, and keeps a crash-safe discipline: the file being written is <c>*.part</c>, fsync'd at
/// least every <see cref="RingSettings.FsyncInterval"/> and at rotation, then renamed.
/// </summary>
internal sealed class RingFileSet : IDisposable
{
    /// <summary>Suffix of the file being written.</summary>
    public const string PartSuffix = ".part";

    private readonly RingSettings _settings;
    private byte[] _header;
    private int _interfaces;
    private static readonly TimeSpan MeasureInterval = TimeSpan.FromMilliseconds(100);
    private readonly TimeProvider _time;
    private (long Free, long Total) _measured;
    private long _measuredAt = long.MinValue;
    private long _writtenAtMeasure;
    private bool _measureFresh;
    private readonly ILogger _log;
    private readonly Func<long, int, byte[]> _statistics;
    private readonly Func<string, (long Free, long Total)> _diskSpace;
    private readonly List<RingFile> _finished = [];
    private Storage.DirectFileAppender? _current;
    private long _currentSequence;
    private long _nextSequence;
    private long _fileStartNs;
    private long _openingNs;
    private long _fileFrames;
    private long _fileDrops;
    private PcapngFrameTimes _fileTimes;
    private long _lastSyncTimestamp;
    private int _closingReserve;

    /// <summary>
    /// Bytes the disk must still take beyond a new segment: what the writer has staged but not written, the file's
    /// closing blocks, and a page for O_DIRECT's rounding.
    /// </summary>
    private long WriteSlack => (_current?.PendingBytes ?? 0) + _closingReserve + 4096;
    private long _bytesBefore;

    /// <summary>Creates the set; existing files of the same prefix join the ring so retention spans restarts.</summary>
    /// <param name="settings">Naming, rotation and retention.</param>
    /// <param name="header">Section header and interface descriptions, written at the start of every file.</param>
    /// <param name="statistics">Makes the interface statistics blocks written at every close, given the time and the
    /// number of interfaces the file declares.</param>
    /// <param name="time">Clock for fsync intervals.</param>
    /// <param name="log">Logger.</param>
    /// <param name="diskSpace">Free and total bytes of a directory's file system (replaceable in tests).</param>
    public RingFileSet(RingSettings settings, byte[] header, Func<long, int, byte[]> statistics, TimeProvider time, ILogger log, Func<string, (long Free, long Total)>? diskSpace = null)
    {
        _settings = settings;
        _header = header;
        _interfaces = CountInterfaces(header);
        _statistics = statistics;
        _time = time;
        _log = log;
        _diskSpace = diskSpace ?? new Storage.DiskSpace().Measure;
        // Room kept in every file for its closing statistics (and their comments), so a file never exceeds its size.
        _closingReserve = statistics(0, _interfaces).Length + 256;
        Directory.CreateDirectory(settings.SingleFile is { } single ? System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(single))! : settings.Directory);
        if (settings.SingleFile is null)
        {
            foreach (var file in RingNames.ExistingFiles(settings.Directory, settings.Prefix))
            {
                _finished.Add(file);
            }

            // Every file of the prefix counts, set-aside ones (.damaged) too: a sequence number is never used twice.
            _nextSequence = RingNames.HighestSequence(settings.Directory, settings.Prefix) + 1;
        }
    }

    /// <summary>True once the OnFull=Stop policy, or an unrecoverable limit, stopped the ring.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Why it stopped.</summary>
    public string? StopReason { get; private set; }

    /// <summary>Files closed so far, oldest first (for a ring, including earlier sessions' files).</summary>
    public IReadOnlyList<RingFile> Finished => _finished;

    /// <summary>The file being written, if any.</summary>
    public string? CurrentPath => _current?.Path;

    /// <summary>Bytes written to every file since the ring was created.</summary>
    public long BytesWritten => _bytesBefore + (_current?.Length ?? 0);

    /// <summary>Timestamp of the last frame written (the clock of an offline capture).</summary>
    public long LastFrameNs { get; private set; }

    /// <summary>Decides whether a finished file may be deleted by the ring (MARK protection).</summary>
    public Func<string, bool> IsProtected { get; set; } = static _ => false;

    /// <summary>
    /// Called on the writer's thread after a file is closed and renamed, with what the ring wrote into it; not for a
    /// file that is not what the ring appended (a write failed and the file was cut back): that one must be walked.
    /// </summary>
    public event Action<ClosedRingFile>? FileClosed;

    /// <summary>Opens the first file now (live captures show a file from the start).</summary>
    public void EnsureOpen(long nowNs)
    {
        if (_current is null && !Stopped)
        {
            Open(nowNs);
        }
    }

    /// <summary>
    /// Writes a buffer segment. When no limit falls inside it (the usual case) it goes out in one piece, its
    /// frames counted from the segment's own tallies; otherwise block by block.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Write(BufferSegment segment, long nowNs, Span<long> writtenPerPort)
    {
        // Whatever the floor, the disk must hold this segment and the file's closing blocks: make room first (or
        // stop, by the policy) rather than let the write fail half-way with ENOSPC.
        if (_current is not null && _settings.SingleFile is null && !MakeRoom(forNewFile: false, segment.Length + WriteSlack))
        {
            return false;
        }

        // A segment that declares an interface goes block by block: the declaration joins the header of later files.
        var fits = _current is not null && segment.Interfaces == 0
            && (_settings.SingleFile is not null
                || ((_settings.MaxFileBytes == 0 || _current.Length + segment.Length + _closingReserve <= _settings.MaxFileBytes)
                    && (_settings.MaxFileDurationNs == 0 || segment.Frames == 0 || segment.Times.NewestNs - _fileStartNs < _settings.MaxFileDurationNs)));
        if (!fits)
        {
            return Write(segment.Blocks, nowNs, writtenPerPort);
        }

        _current!.Append(segment.BlocksWithHeadroom, BufferSegment.Headroom);
        for (var p = 0; p < writtenPerPort.Length && p < segment.FramesPerPort.Length; p++)
        {
            writtenPerPort[p] += segment.FramesPerPort[p];
        }

        _fileFrames += segment.Frames;
        _fileDrops += segment.Drops;
        if (segment.Frames > 0)
        {
            LastFrameNs = segment.Times.NewestNs;
            _fileTimes.Add(segment.Times);
        }

        return true;
    }

    /// <summary>
    /// Writes a segment of whole blocks, rotating on the block that would cross a size or duration limit.
    /// Counts the frames of each interface into <paramref name="writtenPerPort"/>. Returns false when the ring
    /// has stopped (the rest of the segment is not written).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Write(ReadOnlySpan<byte> blocks, long nowNs, Span<long> writtenPerPort)
    {
        var runStart = 0;
        var pos = 0;
        var reader = new PcapngBlockReader(blocks);
        while (reader.TryRead(out var block))
        {
            var length = block.Length;
            var isFrame = block.Type == PcapngBlocks.EnhancedPacketType;
            var ts = isFrame ? block.Timestamp : nowNs;
            if (_current is null)
            {
                if (Stopped || !Open(ts))
                {
                    return false;
                }
            }
            else if (_fileFrames + (pos - runStart > 0 ? 1 : 0) > 0 && MustRotateBefore(pos - runStart + length, ts))
            {
                _current.Append(blocks[runStart..pos]);
                runStart = pos;
                if (!Rotate(ts))
                {
                    return false;
                }
            }

            if (block.Type == PcapngBlocks.InterfaceDescriptionType)
            {
                // Written here in the stream, and from now on in the header of every new file: each file declares
                // every interface found so far, in the order found, so an interface's index is the same in all.
                _header = [.. _header, .. blocks.Slice(pos, length)];
                _interfaces++;
                _closingReserve = _statistics(0, _interfaces).Length + 256;
            }

            // A comment-only block (an event) has no captured bytes; it is not a frame of any port.
            if (block.IsPacket)
            {
                var iface = block.Interface;
                if (iface < (uint)writtenPerPort.Length)
                {
                    writtenPerPort[(int)iface]++;
                }

                _fileFrames++;
                _fileDrops += block.PacketDropCount;
                _fileTimes.Add(ts);
                LastFrameNs = ts;
            }

            pos += length;
        }

        if (pos > runStart)
        {
            _current!.Append(blocks[runStart..pos]);
        }

        return true;
    }

    /// <summary>Time-driven work: duration rotation when idle, the fsync interval, the free-space floor.</summary>
    public void Tick(long nowNs)
    {
        if (_current is null)
        {
            return;
        }

        if (_settings.SingleFile is null && _settings.MaxFileDurationNs > 0 && nowNs - _fileStartNs >= _settings.MaxFileDurationNs)
        {
            Rotate(nowNs);
            return;
        }

        if (_time.GetElapsedTime(_lastSyncTimestamp) >= _settings.FsyncInterval)
        {
            Persist(_current);
            _lastSyncTimestamp = _time.GetTimestamp();
        }

        if (_settings.SingleFile is null)
        {
            MakeRoom(forNewFile: false, WriteSlack);
        }
    }

    /// <summary>Closes the current file: statistics, fsync, rename.</summary>
    public void Close(long nowNs)
    {
        if (_current is null)
        {
            return;
        }

        var writer = _current;
        _current = null;
        _bytesBefore += writer.Length;
        try
        {
            writer.Append(_statistics(nowNs, _interfaces));
        }
        catch (IOException e)
        {
            Log.StatisticsNotWritten(_log, writer.Path, e.Message);
        }

        try
        {
            Persist(writer);
        }
        catch (IOException e)
        {
            Log.SyncFailed(_log, writer.Path, e.Message);
        }

        writer.Dispose();
        if (new FileInfo(writer.Path) is { Exists: true, Length: 0 })
        {
            // Not even the header reached the disk (it was full): an empty file is no capture, and no reader opens it.
            File.Delete(writer.Path);
            Log.FileDeleted(_log, writer.Path, "nothing of it reached the disk");
            return;
        }

        var finalPath = writer.Path[..^PartSuffix.Length];
        File.Move(writer.Path, finalPath, overwrite: _settings.SingleFile is not null);
        _finished.Add(new RingFile(finalPath, _currentSequence, nowNs));
        Log.FileClosed(_log, finalPath, _fileFrames);
        if (FileClosed is { } closed && new FileInfo(finalPath) is { Exists: true } info && info.Length == writer.Length)
        {
            closed(new ClosedRingFile(finalPath, info.Length, info.LastWriteTimeUtc, _fileFrames, _fileDrops, _fileTimes.FirstNs, _fileTimes.NewestNs));
        }
    }

    /// <summary>Stops the ring from writing any more; the current file is closed.</summary>
    public void Stop(string reason, long nowNs)
    {
        Stopped = true;
        StopReason ??= reason;
        Close(nowNs);
    }

    /// <inheritdoc/>
    public void Dispose() => _current?.Dispose();

    private static int CountInterfaces(ReadOnlySpan<byte> header)
    {
        var count = 0;
        var reader = new PcapngBlockReader(header);
        while (reader.TryRead(out var block))
        {
            count += block.Type == PcapngBlocks.InterfaceDescriptionType ? 1 : 0;
        }

        return count;
    }

    private bool MustRotateBefore(int pendingBytes, long ts)
    {
        if (_settings.SingleFile is not null)
        {
            return false;
        }

        return (_settings.MaxFileBytes > 0 && _current!.Length + pendingBytes + _closingReserve > _settings.MaxFileBytes)
            || (_settings.MaxFileDurationNs > 0 && ts - _fileStartNs >= _settings.MaxFileDurationNs);
    }

    private void TryDelete(string path, string reason)
    {
        try
        {
            File.Delete(path);
            Log.FileDeleted(_log, path, reason);
        }
        catch (IOException e)
        {
            Log.DeleteFailed(_log, path, e.Message);
        }
    }

    private bool Rotate(long nowNs)
    {
        Close(nowNs);
        return Open(nowNs);
    }

    private bool Open(long nowNs)
    {
        _openingNs = nowNs;
        string path;
        if (_settings.SingleFile is { } single)
        {
            path = single + PartSuffix;
            _currentSequence = 0;
        }
        else
        {
            if (!MakeRoom(forNewFile: true, _header.Length + WriteSlack))
            {
                return false;
            }

            _currentSequence = _nextSequence++;
            path = System.IO.Path.Combine(_settings.Directory, RingNames.Name(_settings.Prefix, _currentSequence, nowNs) + PartSuffix);
        }

        _current = new Storage.DirectFileAppender(path, _header, _settings.DirectIo, PcapngBlocks.WritePadding);
        _fileStartNs = nowNs;
        _fileFrames = 0;
        _fileDrops = 0;
        _fileTimes = default;
        _lastSyncTimestamp = _time.GetTimestamp();
        return true;
    }

    private void Persist(Storage.DirectFileAppender file)
    {
        if (_settings.SyncToDisk)
        {
            file.Sync();
        }
        else
        {
            file.Flush();
        }
    }

    /// <summary>
    /// The disk as last measured, less what the ring appended since. Measured again at most every
    /// <see cref="MeasureInterval"/> (a flood writes hundreds of segments a second; one statvfs each is wasted work),
    /// after each deletion, and before any decision other than "go ahead".
    /// </summary>
    private (long Free, long Total) EstimatedDiskSpace()
    {
        if (_measuredAt == long.MinValue || _time.GetElapsedTime(_measuredAt) >= MeasureInterval)
        {
            _measured = _diskSpace(_settings.Directory);
            _measuredAt = _time.GetTimestamp();
            _writtenAtMeasure = BytesWritten;
            _measureFresh = true;
            return _measured;
        }

        _measureFresh = false;
        return (Math.Max(0, _measured.Free - (BytesWritten - _writtenAtMeasure)), _measured.Total);
    }

    private bool MakeRoom(bool forNewFile, long bytesNeeded)
    {
        if (forNewFile && _settings.KeepNs > 0)
        {
            // Age alone: nothing to delete is no reason to stop, so this runs before the space and count rules.
            while (RetentionPolicy.Decide(_settings with { MaxFiles = 0, MinFreePercent = 0 }, _finished, IsProtected, 1, 0, true, 0, _openingNs) is { Victim: { } old } decision)
            {
                _finished.Remove(old);
                TryDelete(old.Path, decision.Reason!);
            }
        }

        while (true)
        {
            var (free, total) = EstimatedDiskSpace();
            var decision = RetentionPolicy.Decide(_settings, _finished, IsProtected, free, total, forNewFile, bytesNeeded, forNewFile ? _openingNs : 0);
            if (decision.MayProceed)
            {
                return true;
            }

            if (!_measureFresh)
            {
                // Deleting or stopping is decided on the disk as it is now, never on an estimate.
                _measuredAt = long.MinValue;
                continue;
            }

            if (decision.StopReason is { } stop)
            {
                Log.RingFull(_log, decision.Reason!, _settings.OnFull == StorageFullPolicy.Stop ? "stopping the capture and keeping every file (Storage:OnFull=Stop)" : "stopping the capture: " + stop);
                Stop(stop, _fileStartNs);
                return false;
            }

            var victim = decision.Victim!;
            _finished.Remove(victim);
            _measuredAt = long.MinValue;
            TryDelete(victim.Path, decision.Reason!);
        }
    }
}
