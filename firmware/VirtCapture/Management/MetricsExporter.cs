using Prometheus;
using VirtCapture.Daemon;
using VirtCapture.Panel;

namespace VirtCapture.Management;

/// <summary>
/// /metrics in the Prometheus text format through prometheus-net: the capture's counters per port and stage,
/// bytes written, disk free and the capture state, read from the firmware at every scrape; and the process's own CPU,
/// memory and garbage collections.
/// </summary>
internal sealed class MetricsExporter
{
    private readonly CaptureService _capture;
    private readonly Counter _frames;
    private readonly Counter _bytesWritten;
    private readonly Gauge _diskFree;
    private readonly Gauge _diskTotal;
    private readonly Gauge _state;
    private readonly Gauge _fault;
    private readonly Gauge _link;
    private readonly Gauge _collector;
    private readonly Gauge _sessionFrames;
    private readonly Gauge _sessionBytes;
    private long _bytesBase;
    private object? _lastSession;

    private readonly Triggers.IncidentRecorder _incidents;
    private readonly Gauge _incidentStates;
    private readonly Counter _triggerFires;
    private readonly Counter _triggerMatches;

    public MetricsExporter(CaptureService capture, Triggers.IncidentRecorder incidents)
    {
        _capture = capture;
        _incidents = incidents;
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _frames = factory.CreateCounter("virtcapture_frames_total", "Frames per port and stage since the firmware started (received, kernel_dropped, filtered_out, accepted, buffer_dropped, written).", "port", "stage");
        _collector = factory.CreateGauge("virtcapture_collector_frames", "What the mirror-session collector met besides its sessions' frames, by kind, in the current capture: not_mirror, malformed, fragment (outer IP fragments), reassembled (outer datagrams made whole), reassembly_given_up, unlisted, lost (before the box).", "kind");
        _sessionFrames = factory.CreateGauge("virtcapture_collector_session_frames", "Per mirror session, in the current capture: frames received, truncated by the sender, lost before the box (GRE sequence gaps), malformed, flagged bad/short/oversized by the switch (ERSPAN BSO), duplicates not recorded.", "session", "kind");
        _sessionBytes = factory.CreateGauge("virtcapture_collector_session_bytes", "Per mirror session, in the current capture: bytes of the mirrored frames.", "session");
        _bytesWritten = factory.CreateCounter("virtcapture_bytes_written_total", "Bytes written to capture files since the firmware started.");
        _diskFree = factory.CreateGauge("virtcapture_disk_free_bytes", "Free bytes on the capture disk.");
        _diskTotal = factory.CreateGauge("virtcapture_disk_size_bytes", "Size of the capture disk.");
        _state = factory.CreateGauge("virtcapture_capture_state", "Capture state: 0 idle, 1 capturing, 2 stopping.");
        _fault = factory.CreateGauge("virtcapture_fault", "1 when the FAULT LED is lit.");
        _link = factory.CreateGauge("virtcapture_link_up", "1 when the port's link is up.", "port");
        _incidentStates = factory.CreateGauge("virtcapture_incidents", "Incidents in the incidents directory by state (recording, complete), and those written since the firmware started (written).", "state");
        _triggerFires = factory.CreateCounter("virtcapture_trigger_fires_total", "Incidents each trigger rule started since the firmware started.", "rule");
        _triggerMatches = factory.CreateCounter("virtcapture_trigger_matches_total", "Frames each frame trigger matched in the current capture (merged: those a hold-off folded into an incident already started).", "rule", "kind");
        Registry.AddBeforeCollectCallback(Update);
        Registry.AddBeforeCollectCallback(UpdateIncidents);

        // The process itself (CPU seconds, working set, managed heap, collections per generation): whether a box left
        // running for weeks holds its memory is read here, not guessed.
        DotNetStats.Register(Registry);
    }

    /// <summary>The registry /metrics serves.</summary>
    public CollectorRegistry Registry { get; }

    private readonly Dictionary<(string Port, string Stage), long> _base = [];
    private readonly Dictionary<(string Port, string Stage), long> _last = [];

    private void UpdateIncidents()
    {
        var pending = _incidents.Pending;
        _incidentStates.WithLabels("recording").Set(pending);
        _incidentStates.WithLabels("complete").Set(_incidents.Store.List().Count(i => i.Complete));
        _incidentStates.WithLabels("written").Set(_incidents.Completed);
        foreach (var (rule, fires) in _incidents.Fired)
        {
            _triggerFires.WithLabels(rule).IncTo(fires);
        }

        foreach (var (rule, matches, merged) in _incidents.Matches())
        {
            _triggerMatches.WithLabels(rule, "matched").IncTo(matches);
            _triggerMatches.WithLabels(rule, "merged").IncTo(merged);
        }
    }

    private void Update()
    {
        var now = _capture.Snapshot();
        _state.Set(now.Activity switch { CaptureActivity.Capturing => 1, CaptureActivity.Stopping => 2, _ => 0 });
        _fault.Set(now.Fault is not null ? 1 : 0);
        _diskFree.Set(now.DiskFree);
        _diskTotal.Set(now.DiskTotal);
        if (now.Session is null)
        {
            return;
        }

        // Counters restart with every capture; the exported ones only ever grow, so each session adds to a base.
        if (!ReferenceEquals(_lastSession, now.Session))
        {
            foreach (var (k, v) in _last)
            {
                _base[k] = _base.GetValueOrDefault(k) + v;
            }

            _last.Clear();
            _bytesBase = (long)_bytesWritten.Value;
            _lastSession = now.Session;
        }

        foreach (var port in now.Ports)
        {
            var c = port.Counters;
            Set(c.Port, "received", c.Received);
            Set(c.Port, "kernel_dropped", c.KernelDropped);
            Set(c.Port, "filtered_out", c.FilteredOut);
            Set(c.Port, "accepted", c.Accepted);
            Set(c.Port, "buffer_dropped", c.BufferDropped);
            Set(c.Port, "written", c.Written);
            _link.WithLabels(c.Port).Set(port.Link.Up ? 1 : 0);
        }

        _bytesWritten.IncTo(_bytesBase + now.BytesWritten);
        if (now.Collector is { } collector)
        {
            _collector.WithLabels("not_mirror").Set(collector.NotMirror);
            _collector.WithLabels("malformed").Set(collector.Malformed);
            _collector.WithLabels("fragment").Set(collector.Fragments);
            _collector.WithLabels("reassembled").Set(collector.Reassembled);
            _collector.WithLabels("reassembly_given_up").Set(collector.ReassemblyGivenUp);
            _collector.WithLabels("unlisted").Set(collector.Unlisted);
            _collector.WithLabels("lost").Set(collector.Lost);
            foreach (var s in collector.Sessions)
            {
                _sessionFrames.WithLabels(s.Interface, "received").Set(s.Frames);
                _sessionFrames.WithLabels(s.Interface, "truncated").Set(s.Truncated);
                _sessionFrames.WithLabels(s.Interface, "lost").Set(s.Lost);
                _sessionFrames.WithLabels(s.Interface, "malformed").Set(s.Malformed);
                _sessionFrames.WithLabels(s.Interface, "bso").Set(s.BsoErrors);
                _sessionFrames.WithLabels(s.Interface, "duplicate").Set(s.Duplicates);
                _sessionBytes.WithLabels(s.Interface).Set(s.Bytes);
            }
        }
    }

    private void Set(string port, string stage, long value)
    {
        _last[(port, stage)] = value;
        _frames.WithLabels(port, stage).IncTo(_base.GetValueOrDefault((port, stage)) + value);
    }

}
