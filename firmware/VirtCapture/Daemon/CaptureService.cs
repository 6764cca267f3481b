using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VirtCapture.Configuration;
using VirtCapture.Panel;
using VirtCapture.Pcapng;
using VirtCapture.Pipeline;

namespace VirtCapture.Daemon;

/// <summary>
/// The firmware's capture: repairs what an unclean stop left behind, starts the capture at boot if configured,
/// starts, stops, safe-stops and marks it on request (buttons, later the API), reports its state on the console,
/// and closes every file on shutdown.
/// </summary>
internal sealed class CaptureService : IHostedService, IDisposable
{
    private CaptureOptions _capture;
    private StorageOptions _storage;
    private readonly TimeProvider _time;
    private readonly ILogger<CaptureService> _log;
    private static readonly TimeSpan DiskMeasureInterval = TimeSpan.FromMilliseconds(500);
    private readonly VirtCapture.Storage.DiskSpace _probe;
    private readonly Lock _diskLock = new();
    private Collector.DecapsulatingFrameSource? _mirror;
    private (long Free, long Total, long At) _disk;
    private readonly Lock _gate = new();
    private CaptureSession? _session;
    private ITimer? _statusTimer;
    private volatile bool _stopping;
    private int _marks;
    private Func<string, string?>[] _holds = [];

    public CaptureService(IOptions<CaptureOptions> capture, IOptions<StorageOptions> storage, IOptions<PanelOptions> panel, VirtCapture.Storage.DiskSpace probe, TimeProvider time, ILogger<CaptureService> log)
    {
        _capture = capture.Value;
        _storage = storage.Value;
        _probe = probe;
        _time = time;
        _log = log;
        Protection = new MarkProtection(_storage.Directory, TimeSpan.FromMinutes(panel.Value.MarkProtectMinutes));
    }

    /// <summary>Why the capture could not start or had to stop, if it did.</summary>
    public string? Fault { get; private set; }

    /// <summary>The running capture, if any.</summary>
    public CaptureSession? Session => _session;

    /// <summary>What the capture is doing.</summary>
    public CaptureActivity Activity => _stopping ? CaptureActivity.Stopping
        : _session is { } session && !session.Pipeline.Completion.IsCompleted ? CaptureActivity.Capturing
        : CaptureActivity.Idle;

    /// <summary>True when something needs a person: the capture could not start, or died of a disk error.</summary>
    public bool HasFault => Fault is not null || _session?.Pipeline.Error is not null;

    /// <summary>True after a safe stop, until the next start.</summary>
    public bool SafeToUnplug { get; private set; }

    /// <summary>The MARK protection of the ring.</summary>
    public MarkProtection Protection { get; }

    /// <summary>
    /// Adds a reason the ring must keep a file besides MARK: <paramref name="hold"/> answers a file name with why it is
    /// held (an incident being recorded), or null.
    /// </summary>
    public void AddHold(Func<string, string?> hold) => _holds = [.. _holds, hold];

    /// <summary>Why the ring may not delete the file <paramref name="name"/> (a MARK, an incident), or null when it may.</summary>
    public string? HeldBecause(string name)
    {
        name = Path.GetFileName(name);
        name = name.EndsWith(RingFileSet.PartSuffix, StringComparison.Ordinal) ? name[..^RingFileSet.PartSuffix.Length] : name;
        if (Protection.IsProtected(name))
        {
            return "protected by a MARK";
        }

        foreach (var hold in _holds)
        {
            if (hold(name) is { } reason)
            {
                return reason;
            }
        }

        return null;
    }

    /// <summary>The storage settings.</summary>
    public StorageOptions Storage => _storage;

    /// <summary>The capture settings in force (the API may change them at run time).</summary>
    public CaptureOptions Capture => _capture;

    /// <summary>Raised when a capture's data path is built, before it starts: observers attach here and miss nothing.</summary>
    public event Action<CaptureSession>? SessionCreated;

    /// <summary>
    /// Something the engineer would want to know happened (a MARK, the capture starting or stopping, a fault, a mirror
    /// session moving): the kind and one line. Raised on the thread that did it; handlers must not block.
    /// </summary>
    public event Action<string, string>? Noted;

    /// <summary>Raises <see cref="Noted"/> for something a feature did (a trigger fired, an incident is complete).</summary>
    public void Notify(string kind, string text) => Noted?.Invoke(kind, text);

    /// <summary>When the service started.</summary>
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>The disk probe.</summary>
    public VirtCapture.Storage.DiskSpace Probe => _probe;

    /// <summary>The ring stopped itself (OnFull=Stop, or nothing left to delete).</summary>
    public bool RingStopped => _session?.Pipeline.Ring.Stopped ?? false;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            PcapngRepair.RepairDirectory(_storage.Directory, _log);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Repair never keeps the box from booting; the capture start below reports what is wrong with the disk.
            Log.CaptureCannotStart(_log, $"the leftovers in {_storage.Directory} could not be repaired: {e.Message}");
        }
        if (_capture.StartOnBoot)
        {
            TryStartCapture();
        }

        _statusTimer = _time.CreateTimer(_ => ReportStatus(), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _statusTimer?.Dispose();
        await StopCaptureAsync().ConfigureAwait(false);
    }

    /// <summary>Starts a capture; a failure becomes the fault shown on the panel (and is logged once).</summary>
    public bool TryStartCapture()
    {
        try
        {
            StartCapture();
            return true;
        }
        catch (Exception e) when (IsFault(e))
        {
            // The box stays up (and reachable) with the fault shown, rather than restarting in a loop.
            Fault = e.Message;
            Log.CaptureCannotStart(_log, e.Message);
            Noted?.Invoke("fault", e.Message);
            return false;
        }
    }

    /// <summary>Replaces the settings (already validated); a running capture restarts on them, in a new file.</summary>
    public async Task ReconfigureAsync(CaptureOptions? capture, StorageOptions? storage)
    {
        var wasRunning = Activity == CaptureActivity.Capturing;
        if (wasRunning)
        {
            await StopCaptureAsync().ConfigureAwait(false);
        }

        lock (_gate)
        {
            // Immutable records: the next capture reads the new ones; whoever holds the old ones keeps a consistent view.
            _capture = capture ?? _capture;
            _storage = storage ?? _storage;
        }

        if (wasRunning)
        {
            TryStartCapture();
        }
    }

    /// <summary>Starts a capture with the configured source, filter and ring.</summary>
    public void StartCapture()
    {
        lock (_gate)
        {
            if (_session is not null || _stopping)
            {
                return;
            }

            Fault = null;
            SafeToUnplug = false;
            VirtCapture.Storage.WritableDirectory.EnsureWritable(_storage.Directory, "Storage:Directory", create: true);
            var filter = Vm.VmSelection.Filter(_capture.Filter, _capture.Vms);
            var source = FrameSourceFactory.Create(_capture, filter, _time, _log);
            var ring = new RingSettings
            {
                Directory = _storage.Directory,
                MaxFileBytes = _storage.FileSizeMB * 1_000_000L,
                // Trigger-only mode rotates at a tenth of its span by default, so the ring holds that span and little more.
                MaxFileDurationNs = (_storage.FileDurationSeconds > 0 ? _storage.FileDurationSeconds : _storage.KeepSeconds > 0 ? Math.Max(1, _storage.KeepSeconds / 10) : 0) * 1_000_000_000L,
                KeepNs = _storage.KeepSeconds * 1_000_000_000L,
                MaxFiles = _storage.MaxFiles,
                MinFreePercent = _storage.MinFreePercent,
                OnFull = _storage.OnFullPolicy,
                FsyncInterval = TimeSpan.FromMilliseconds(_storage.FsyncIntervalMs),
            };
            var settings = new PipelineSettings
            {
                BufferBytes = _capture.BufferMB * (1L << 20),
                PublishAfter = TimeSpan.FromMilliseconds(Math.Min(200, _storage.FsyncIntervalMs / 2)),
                // Exact, on the capture thread; the other stop conditions are the StopWatcher's.
                FrameLimit = Triggers.StopCondition.Parse(_capture.StopAfter, "Capture:StopAfter").Frames,
            };
            _session = CaptureSession.Create(source, filter, _capture.Snaplen, ring, settings, _time, _log, _probe.Measure, path => HeldBecause(path) is not null);
            _mirror = source as Collector.DecapsulatingFrameSource;
            if (source is Collector.DecapsulatingFrameSource mirror)
            {
                // vMotion moves a VM's mirror session with it: one event, in the log and in the file at that point.
                var pipeline = _session.Pipeline;
                pipeline.AddStatisticsNote(port => mirror.SessionCounters(port).ToString());
                mirror.SenderChanged += (port, now, was) =>
                {
                    var text = $"{now.Kind} now from {now.Address}, was {was.Address}";
                    Log.SessionSenderChanged(_log, text);
                    Noted?.Invoke("session", text);
                    pipeline.AddComment(text, port);
                };
            }

            SessionCreated?.Invoke(_session);
            _session.Start();
            Noted?.Invoke("capture", "capture started");
        }
    }

    /// <summary>Stops the capture and waits until every file is closed, fsync'd and renamed.</summary>
    public async Task StopCaptureAsync()
    {
        CaptureSession? session;
        lock (_gate)
        {
            session = _session;
            if (session is null || _stopping)
            {
                return;
            }

            _stopping = true;
        }

        try
        {
            await session.StopAsync().ConfigureAwait(false);
            if (session.Pipeline.Error is { } error)
            {
                Fault = error.Message;
            }

            var summary = session.Pipeline.Error is { } e ? $"after an error: {e.Message}" : $"{session.Pipeline.Ring.Finished.Count} files in {_storage.Directory}";
            Log.CaptureStopped(_log, summary);
            Noted?.Invoke("capture", "capture stopped: " + summary);
            session.Dispose();
        }
        finally
        {
            lock (_gate)
            {
                _session = null;
                _stopping = false;
            }
        }
    }

    /// <summary>START/STOP held: stop, and say when every file is safe on the disk.</summary>
    public async Task SafeStopAsync()
    {
        await StopCaptureAsync().ConfigureAwait(false);
        SafeToUnplug = true;
        Log.SafeToUnplug(_log, _storage.Directory);
    }

    /// <summary>MARK: a comment at this instant, and the minutes before it protected from the ring.</summary>
    public int Mark()
    {
        var n = Interlocked.Increment(ref _marks);
        var session = _session;
        if (session is not null)
        {
            session.Pipeline.AddComment($"MARK {n}");
            Protection.Protect(_time.GetUtcNow().UtcDateTime, session.Pipeline.Ring.CurrentPath, session.Pipeline.Ring.Finished);
        }

        Noted?.Invoke("mark", $"MARK {n}");

        Log.Marked(_log, n, session is null ? "no capture is running" : $"protected: {string.Join(", ", Protection.Names)}");
        return n;
    }

    /// <summary>Protects the files of the last minutes and the current one from the ring, as a MARK does.</summary>
    public void ProtectRecent()
    {
        if (_session is { } session)
        {
            Protection.Protect(_time.GetUtcNow().UtcDateTime, session.Pipeline.Ring.CurrentPath, session.Pipeline.Ring.Finished);
        }
    }

    /// <summary>The box now: the one read of the capture, its counters, links and disk that everything shows.</summary>
    public BoxSnapshot Snapshot()
    {
        var session = _session;
        var pipeline = session?.Pipeline;
        var ports = pipeline is null ? [] : Ports(pipeline);
        var (free, total) = Disk();

        return new BoxSnapshot(
            Activity,
            Fault ?? pipeline?.Error?.Message,
            SafeToUnplug,
            pipeline?.Ring.Stopped ?? false,
            pipeline?.Ring.StopReason,
            Path.GetFileName(pipeline?.Ring.CurrentPath),
            pipeline?.Ring.BytesWritten ?? 0,
            session,
            ports,
            free,
            total,
            _mirror is { } mirror && session is not null ? Collector(mirror) : null);
    }

    // The panel takes a snapshot eight times a second: a loop, not a query.
    private static PortSnapshot[] Ports(CapturePipeline pipeline)
    {
        var counters = pipeline.Counters();
        var ports = new PortSnapshot[counters.Count];
        for (var p = 0; p < ports.Length; p++)
        {
            ports[p] = new PortSnapshot(counters[p], pipeline.Ports[p].Description, pipeline.Link(p));
        }

        return ports;
    }

    // Counted by the capture thread, read here: 64-bit reads, each counter exact, the set not one instant.
    private static Management.Contracts.CollectorStatus Collector(Collector.DecapsulatingFrameSource mirror)
    {
        var c = mirror.Counters;
        var ports = mirror.Ports;
        var sessions = new Management.Contracts.MirrorSessionStatus[ports.Count];
        for (var p = 0; p < sessions.Length; p++)
        {
            var s = mirror.SessionCounters(p);
            sessions[p] = new(ports[p].Name, ports[p].Description, s.Frames, s.Bytes, s.Truncated, s.Lost, s.Malformed, s.BsoErrors, s.Duplicates);
        }

        return new Management.Contracts.CollectorStatus(c.NotMirror, c.Malformed, c.FirstProblem, c.Fragments, mirror.Reassembled, mirror.ReassemblyGivenUp, c.Unlisted, mirror.Lost, sessions);
    }

    public void Dispose() => _statusTimer?.Dispose();

    /// <summary>
    /// The capture disk, measured at most twice a second: the panel reads a snapshot twenty times a second, and a
    /// statvfs by path each time costs more than the rest of the snapshot.
    /// </summary>
    private (long Free, long Total) Disk()
    {
        lock (_diskLock)
        {
            if (_disk.At != 0 && _time.GetElapsedTime(_disk.At) < DiskMeasureInterval)
            {
                return (_disk.Free, _disk.Total);
            }

            long free = 0, total = 0;
            try
            {
                (free, total) = _probe.Measure(_storage.Directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // A disk that cannot be measured reads as unknown (0): the fault says why when the capture trips on it.
            }

            _disk = (free, total, _time.GetTimestamp());
            return (free, total);
        }
    }

    /// <summary>What stops a capture from starting without being a bug: shown as the FAULT, the box stays up.</summary>
    internal static bool IsFault(Exception e) => e is Hal.VirtCaptureException or IOException or UnauthorizedAccessException;

    private void ReportStatus()
    {
        var now = Snapshot();
        if (now.Session is null)
        {
            Log.Status(_log, now.Fault is null ? "idle: no capture running" : $"FAULT: {now.Fault}");
            return;
        }

        var parts = now.Ports.Select(p =>
        {
            var state = p.Link.Up ? (p.Link.SpeedMbps > 0 ? $"up {p.Link.SpeedMbps} Mb/s" : "up") : "DOWN";
            return $"{p.Counters.Port} [{state}]: {p.Counters.Written} written, {p.Counters.FilteredOut} filtered, {p.Counters.Dropped} dropped";
        });
        var stop = now.RingStopped ? $" STOPPED ({now.RingStopReason})" : string.Empty;
        Log.Status(_log, $"capturing{stop}: {string.Join("; ", parts)}; file {now.CurrentFile ?? "-"}");
    }
}
