using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VirtCapture.Daemon;
using VirtCapture.Pcapng;
using VirtCapture.Pipeline;

namespace VirtCapture.Vm;

/// <summary>
/// Keeps the VM inventory of the running box. It reads the capture's written segments through the live tap, off the
/// capture path: if it ever falls behind, the inventory misses segments, the capture misses nothing.
/// </summary>
internal sealed class VmObserver : BackgroundService
{
    private readonly CaptureService _capture;
    private readonly TimeProvider _time;
    private readonly ILogger<VmObserver> _log;

    public VmObserver(CaptureService capture, IOptions<VmOptions> options, TimeProvider time, ILogger<VmObserver> log)
    {
        _capture = capture;
        _time = time;
        _log = log;
        Families = new HypervisorFamilies(options.Value.Ouis);
        Inventory = new VmInventory(Families, TimeSpan.FromSeconds(options.Value.IdleSeconds));
        Inventory.EventRaised += OnEvent;
        capture.SessionCreated += session =>
        {
            // Attached before the capture starts, so even a replay that ends at once is seen whole. Both run on the
            // capture thread: announcements are marked before the frames are buffered, the inventory walks the blocks
            // just appended, while they are in that core's cache.
            session.Pipeline.AddAnnotator(new AnnouncementAnnotator(Families));
            session.Pipeline.AddObserver(Inventory);
            Volatile.Write(ref _watched, session);
        };
    }

    private CaptureSession? _watched;

    /// <summary>The families table in force.</summary>
    public HypervisorFamilies Families { get; }

    /// <summary>The inventory.</summary>
    public VmInventory Inventory { get; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastSweep = _time.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            // A file replay runs on its frames' clock, a live capture on the wall clock.
            var watched = Volatile.Read(ref _watched);
            var now = watched?.Source.IsLive == false ? Inventory.LatestNs : (_time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
            Inventory.Sweep(now, _time.GetElapsedTime(lastSweep).TotalSeconds);
            lastSweep = _time.GetTimestamp();
        }
    }

    private void OnEvent(VmEvent e)
    {
        Log.VmEvent(_log, e.Text);
        // Announcements already stand on their frames (the capture thread wrote them); the rest are noted now.
        if (e.Kind != "announced" && _capture.Session is { } session)
        {
            var port = session.Pipeline.Ports.Select((p, i) => (p.Name, i)).FirstOrDefault(p => p.Name == e.Port).i;
            session.Pipeline.AddComment(e.Text, port);
        }
    }
}
