using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VirtCapture.Configuration;
using VirtCapture.Pcapng;
using VirtCapture.Pipeline;

namespace VirtCapture.Daemon;

/// <summary>
/// The firmware's capture: repairs what an unclean stop left behind, starts the capture at boot if configured,
/// reports its state on the console, and closes every file on shutdown.
/// </summary>
internal sealed partial class CaptureService : IHostedService, IDisposable
{
    private readonly CaptureOptions _capture;
    private readonly StorageOptions _storage;
    private readonly TimeProvider _time;
    private readonly ILogger<CaptureService> _log;
    private readonly Lock _gate = new();
    private CaptureSession? _session;
    private ITimer? _statusTimer;

    public CaptureService(IOptions<CaptureOptions> capture, IOptions<StorageOptions> storage, TimeProvider time, ILogger<CaptureService> log)
    {
        _capture = capture.Value;
        _storage = storage.Value;
        _time = time;
        _log = log;
    }

    /// <summary>Why the capture could not start, if it could not.</summary>
    public string? Fault { get; private set; }

    /// <summary>The running capture, if any.</summary>
    public CaptureSession? Session => _session;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_storage.Directory);
        PcapngRepair.RepairDirectory(_storage.Directory, _log);
        if (_capture.StartOnBoot)
        {
            try
            {
                StartCapture();
            }
            catch (Exception e) when (IsFault(e))
            {
                // The box stays up (and reachable) with the fault shown, rather than restarting in a loop.
                Fault = e.Message;
                Log.CaptureCannotStart(_log, e.Message);
            }
        }

        _statusTimer = _time.CreateTimer(_ => ReportStatus(), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _statusTimer?.Dispose();
        await StopCaptureAsync().ConfigureAwait(false);
    }

    /// <summary>Starts a capture with the configured source, filter and ring.</summary>
    public void StartCapture()
    {
        lock (_gate)
        {
            if (_session is not null)
            {
                return;
            }

            var source = FrameSourceFactory.Create(_capture, _time, _log);
            var ring = new RingSettings
            {
                Directory = _storage.Directory,
                MaxFileBytes = _storage.FileSizeMB * 1_000_000L,
                MaxFileDurationNs = _storage.FileDurationSeconds * 1_000_000_000L,
                MaxFiles = _storage.MaxFiles,
                MinFreePercent = _storage.MinFreePercent,
                OnFull = _storage.OnFullPolicy,
                FsyncInterval = TimeSpan.FromMilliseconds(_storage.FsyncIntervalMs),
            };
            var settings = new PipelineSettings
            {
                BufferBytes = _capture.BufferMB * (1L << 20),
                PublishAfter = TimeSpan.FromMilliseconds(Math.Min(200, _storage.FsyncIntervalMs / 2)),
            };
            _session = CaptureSession.Create(source, _capture.Filter, _capture.Snaplen, ring, settings, _time, _log);
            _session.Start();
        }
    }

    /// <summary>Stops the capture and waits until every file is closed, fsync'd and renamed.</summary>
    public async Task StopCaptureAsync()
    {
        CaptureSession? session;
        lock (_gate)
        {
            session = _session;
            _session = null;
        }

        if (session is null)
        {
            return;
        }

        await session.StopAsync().ConfigureAwait(false);
        var summary = session.Pipeline.Error is { } error ? $"after an error: {error.Message}" : $"{session.Pipeline.Ring.Finished.Count} files in {_storage.Directory}";
        Log.CaptureStopped(_log, summary);
        session.Dispose();
    }

    public void Dispose() => _statusTimer?.Dispose();

    internal static bool IsFault(Exception e) => e is PortSetupException or Hal.AfPacket.CaptureDeviceException or Hal.Bpf.FilterCompileException
        or Hal.Bpf.LibpcapMissingException or UserErrorException or IOException or UnauthorizedAccessException or Hal.Replay.CaptureFileFormatException;

    private void ReportStatus()
    {
        var session = _session;
        if (session is null)
        {
            Log.Status(_log, Fault is null ? "idle: no capture running" : $"FAULT: {Fault}");
            return;
        }

        var parts = session.Pipeline.Counters().Select((c, p) =>
        {
            var link = session.Pipeline.Link(p);
            var state = link.Up ? (link.SpeedMbps > 0 ? $"up {link.SpeedMbps} Mb/s" : "up") : "DOWN";
            return $"{c.Port} [{state}]: {c.Written} written, {c.FilteredOut} filtered, {c.Dropped} dropped";
        });
        var stop = session.Pipeline.Ring.Stopped ? $" STOPPED ({session.Pipeline.Ring.StopReason})" : string.Empty;
        Log.Status(_log, $"capturing{stop}: {string.Join("; ", parts)}; file {Path.GetFileName(session.Pipeline.Ring.CurrentPath) ?? "-"}");
    }
}
