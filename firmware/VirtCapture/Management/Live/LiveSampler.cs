using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VirtCapture.Configuration;
using VirtCapture.Daemon;
using VirtCapture.Management.Contracts;
using VirtCapture.Panel;

namespace VirtCapture.Management.Live;

/// <summary>
/// The page's live graphs, sampled once for every viewer: each interval the box's one snapshot becomes a
/// <see cref="LiveSample"/> (rates from the counters' growth) and link changes, drops and the capture's notes become
/// <see cref="LiveMarker"/>s. The last <see cref="Keep"/> samples and markers are kept as their JSON in
/// <see cref="LiveHistory"/> rings, so a page left open costs nothing that grows; each event stream waits on
/// <see cref="WaitAsync"/> and writes what is new with <see cref="WriteSince"/>.
/// </summary>
internal sealed class LiveSampler : BackgroundService
{
    /// <summary>Samples and markers kept (five minutes at the default interval).</summary>
    public const int Keep = 300;

    private readonly CaptureService _capture;
    private readonly Vm.VmObserver _vms;
    private readonly FrontPanel _panel;
    private readonly TimeProvider _time;
    private readonly LiveHistory _samples = new(Keep);
    private readonly LiveHistory _markers = new(Keep);
    // Each sample and marker is serialized here once, under the gate.
    private readonly ArrayBufferWriter<byte> _json = new(4096);
    private readonly Utf8JsonWriter _jsonWriter;
    private readonly Dictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LiveSample? _last;
    private object? _lastSession;

    public LiveSampler(CaptureService capture, Vm.VmObserver vms, FrontPanel panel, IOptions<ManagementOptions> options, TimeProvider time)
    {
        _capture = capture;
        _vms = vms;
        _panel = panel;
        _time = time;
        Interval = TimeSpan.FromMilliseconds(options.Value.LiveIntervalMs);
        _jsonWriter = new Utf8JsonWriter(_json);
        capture.Noted += (kind, text) => Mark(kind, text, null);
    }

    /// <summary>The sampling interval (<c>Management:LiveIntervalMs</c>).</summary>
    public TimeSpan Interval { get; }

    /// <summary>
    /// Writes what came after <paramref name="samplesSeen"/> samples and <paramref name="markersSeen"/> markers (at most
    /// the kept ones) as one JSON object, <c>{"intervalMs":…,"samples":[…],"markers":[…]}</c>; returns the counts it
    /// went up to, the next call's starting point.
    /// </summary>
    public (long Samples, long Markers) WriteSince(long samplesSeen, long markersSeen, IBufferWriter<byte> output)
    {
        using var json = new Utf8JsonWriter(output);
        lock (_gate)
        {
            json.WriteStartObject();
            json.WriteNumber("intervalMs"u8, (int)Interval.TotalMilliseconds);
            json.WriteStartArray("samples"u8);
            _samples.WriteSince(samplesSeen, json);
            json.WriteEndArray();
            json.WriteStartArray("markers"u8);
            _markers.WriteSince(markersSeen, json);
            json.WriteEndArray();
            json.WriteEndObject();
            json.Flush();
            return (_samples.Count, _markers.Count);
        }
    }

    /// <summary>How many samples and markers there have been.</summary>
    public (long Samples, long Markers) Counts
    {
        get
        {
            lock (_gate)
            {
                return (_samples.Count, _markers.Count);
            }
        }
    }

    /// <summary>Completes at the next sample (or when <paramref name="cancel"/> fires).</summary>
    public Task WaitAsync(CancellationToken cancel)
    {
        lock (_gate)
        {
            return _next.Task.WaitAsync(cancel);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
            // The box is stopping.
        }
    }

    private void Sample()
    {
        var now = _capture.Snapshot();
        var timeMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        // A new capture restarts its counters: rates start again from it rather than going negative.
        var previous = ReferenceEquals(now.Session, _lastSession) ? _last : null;
        var seconds = previous is null ? 0 : Math.Max(0.001, (timeMs - previous.TimeMs) / 1000.0);
        var ports = new LivePortSample[now.Ports.Count];
        for (var p = 0; p < ports.Length; p++)
        {
            var c = now.Ports[p].Counters;
            // Ports keep their order within a capture; a different name means a different capture's port list.
            var before = previous is not null && p < previous.Ports.Count && previous.Ports[p].Name == c.Port ? previous.Ports[p] : null;
            var bytesBefore = before is null ? 0 : _bytes.GetValueOrDefault(c.Port);
            double Rate(long value, long old) => before is null ? 0 : Math.Max(0, value - old) / seconds;
            ports[p] = new LivePortSample(c.Port, Rate(c.Received, before?.Received ?? 0), Rate(c.AcceptedBytes, bytesBefore) * 8 / 1e6,
                Rate(c.KernelDropped, before?.KernelDropped ?? 0), Rate(c.BufferDropped, before?.BufferDropped ?? 0),
                c.Received, c.KernelDropped, c.BufferDropped, c.Written, now.Ports[p].Link.Up, c.FilteredOut, now.Ports[p].Link.SpeedMbps, now.Ports[p].Link.Changes);
            _bytes[c.Port] = c.AcceptedBytes;
            // The link's change count, not its state: a cable pulled and put back between two samples is marked too.
            var changes = before is null ? 0 : ports[p].LinkChanges - before.LinkChanges;
            if (changes == 1 || (changes > 1 && ports[p].LinkUp != before!.LinkUp))
            {
                Mark("link", $"link {(ports[p].LinkUp ? "up" : "down")} on port {c.Port}", c.Port);
            }
            else if (changes > 1)
            {
                Mark("link", $"link flapped on port {c.Port} ({changes} changes since the last sample), now {(ports[p].LinkUp ? "up" : "down")}", c.Port);
            }

            // A capture's counters start at zero: its first sample marks what it dropped since it started.
            var kernel = c.KernelDropped - (before?.KernelDropped ?? 0);
            var buffer = c.BufferDropped - (before?.BufferDropped ?? 0);
            if (kernel + buffer > 0)
            {
                Mark("drop", $"{kernel + buffer} frames dropped on port {c.Port} ({kernel} in the kernel, {buffer} in the buffer)", c.Port);
            }
        }

        // The LED strip rides along, so the page needs nothing else each tick (the panel's dictionary, new only on a change).
        var leds = _panel.Leds;

        var vms = _vms.Inventory.Snapshot().Where(v => !v.Gone).Select(v => new LiveVmRate(v.Mac, Math.Round(v.FramesPerSecond, 1))).ToArray();
        lock (_gate)
        {
            var sample = new LiveSample(_samples.Count, timeMs, now.Activity.ToString().ToLowerInvariant(), ports, vms, now.CurrentFile, _vms.Inventory.EventsRecorded, leds);
            _samples.Add(Serialize(sample, FirmwareJsonContext.Default.LiveSample));
            _last = sample;
            _lastSession = now.Session;
            var done = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            done.SetResult();
        }
    }

    private void Mark(string kind, string text, string? port)
    {
        lock (_gate)
        {
            _markers.Add(Serialize(new LiveMarker(_markers.Count, _time.GetUtcNow().ToUnixTimeMilliseconds(), kind, text, port), FirmwareJsonContext.Default.LiveMarker));
        }
    }

    // Under the gate: the writer and its buffer are shared.
    private ReadOnlySpan<byte> Serialize<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        _json.ResetWrittenCount();
        _jsonWriter.Reset(_json);
        JsonSerializer.Serialize(_jsonWriter, value, type);
        return _json.WrittenSpan;
    }
}
