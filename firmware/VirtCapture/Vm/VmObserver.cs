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
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
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
            // Subscribed before the capture starts, so even a replay that ends at once is seen whole.
            var subscriber = session.Pipeline.Tap.Subscribe(256);
            lock (_pendingLock)
            {
                _pending = (session, subscriber);
            }
        };
    }

    private readonly Lock _pendingLock = new();
    private (CaptureSession Session, LiveSubscriber Subscriber)? _pending;

    /// <summary>The families table in force.</summary>
    public HypervisorFamilies Families { get; }

    /// <summary>The inventory.</summary>
    public VmInventory Inventory { get; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        CaptureSession? watched = null;
        LiveSubscriber? subscriber = null;
        var lastSweep = _time.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            lock (_pendingLock)
            {
                if (_pending is { } next)
                {
                    // Finish the previous capture's segments, then follow the new one.
                    while (subscriber is not null && subscriber.Channel.Reader.TryRead(out var rest))
                    {
                        Observe(rest, watched!);
                    }

                    if (subscriber is not null)
                    {
                        watched?.Pipeline.Tap.Unsubscribe(subscriber);
                    }

                    (watched, subscriber) = next;
                    _pending = null;
                }
            }

            while (subscriber is not null && subscriber.Channel.Reader.TryRead(out var segment))
            {
                Observe(segment, watched!);
            }

            var elapsed = _time.GetElapsedTime(lastSweep);
            if (elapsed >= TimeSpan.FromSeconds(1))
            {
                // A file replay runs on its frames' clock, a live capture on the wall clock.
                var now = watched?.Source.IsLive == false ? Inventory.LatestNs : (_time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
                Inventory.Sweep(now, elapsed.TotalSeconds);
                lastSweep = _time.GetTimestamp();
            }

            try
            {
                await Task.Delay(Poll, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private void Observe(byte[] segment, CaptureSession session)
    {
        var blocks = segment.AsSpan();
        var ports = session.Pipeline.Ports;
        while (true)
        {
            var length = EnhancedPacketReader.Next(blocks, out var isFrame, out var frame, out var data);
            if (length == 0)
            {
                return;
            }

            if (isFrame && frame.Port < ports.Count)
            {
                Inventory.Observe(frame, data, frame.Port, ports[frame.Port].Name);
            }

            blocks = blocks[length..];
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
