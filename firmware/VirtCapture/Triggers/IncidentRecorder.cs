using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VirtCapture.Daemon;
using VirtCapture.Hal.Frames;
using VirtCapture.Pcapng;
using VirtCapture.Pipeline;

namespace VirtCapture.Triggers;

/// <summary>
/// Turns fired triggers into incidents. On a fire it writes the incident's record and holds the ring files that cover
/// the pre-trigger time (and every later one) from the ring; once the capture has passed the post-trigger time it
/// copies the window out of the ring into <c>incidents/NAME.pcapng</c>, comments the triggering frame, and releases
/// the hold. Records left pending by a power cut are completed at the next start from the held files.
/// </summary>
internal sealed class IncidentRecorder : BackgroundService, ISegmentObserver
{
    private const string RingPrefix = "vc";
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);
    // Frames reach the ring file through the buffer and the writer's last partial block; the hold-back covers both.
    private static readonly long SettleNs = 1_500_000_000;

    private readonly CaptureService _capture;
    private readonly TimeProvider _time;
    private readonly ILogger<IncidentRecorder> _log;
    private readonly IncidentStore _store;
    private readonly Channel<TriggerFire> _fires = Channel.CreateUnbounded<TriggerFire>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<Incident> _pending = [];
    private readonly Incident[] _leftovers;
    private readonly long _leftoverLastSequence;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TriggerCount> _eventCounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _fired = new(StringComparer.Ordinal);
    private IReadOnlyList<TriggerRule> _rules = [];
    private TriggerAnnotator? _annotator;
    private CaptureSession? _session;
    private long _horizonNs = long.MinValue;
    private readonly Dictionary<string, long> _passedEnd = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastHeld = new(StringComparer.Ordinal);
    private long _completed;
    private long _failed;
    private (bool[] Up, long Dropped) _lastPorts = ([], 0);
    private int _provisional;
    private Task<bool>? _fireWait;
    private TaskCompletionSource _rulesChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IncidentRecorder(CaptureService capture, Vm.VmObserver vms, Fleet.FleetService fleet, TimeProvider time, ILogger<IncidentRecorder> log)
    {
        _capture = capture;
        _time = time;
        _log = log;
        _store = new IncidentStore(capture.Storage.IncidentDirectory.Length > 0 ? capture.Storage.IncidentDirectory : Path.Combine(capture.Storage.Directory, IncidentStore.DirectoryName));
        // Before any capture starts: what a power cut left pending stays held from the first rotation on.
        _leftovers = [.. _store.List().Where(i => !i.Complete)];
        // A leftover's frames are in the files written before the restart; the new capture's files are not its.
        _leftoverLastSequence = RingFiles(capture.Storage.Directory).Select(f => f.Sequence).DefaultIfEmpty(0).Max();
        _pending.AddRange(_leftovers);
        capture.AddHold(HeldBecause);
        capture.SessionCreated += OnSession;
        capture.Noted += OnNoted;
        vms.Inventory.EventRaised += OnVmEvent;
        fleet.Moved += e => OnEvent(TriggerEvent.Fleet, e.Time, e.Text);
    }

    /// <summary>The incidents directory.</summary>
    public IncidentStore Store => _store;

    /// <summary>Incidents written since start.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Incidents being recorded now.</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Per rule: fires so far (incidents started).</summary>
    public IReadOnlyDictionary<string, long> Fired
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, long>(_fired, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Per frame rule: matches and the matches a hold-off merged.</summary>
    public IEnumerable<(string Rule, long Matches, long Merged)> Matches() => _annotator?.Counts() ?? [];

    /// <summary>The rules armed for the running capture.</summary>
    public IReadOnlyList<TriggerRule> Rules => _rules;

    /// <inheritdoc/>
    public void SegmentWritten(BufferSegment segment, IReadOnlyList<CapturePort> ports)
    {
        if (segment.Frames == 0 || segment.Times.NewestNs <= Volatile.Read(ref _horizonNs))
        {
            return;
        }

        Volatile.Write(ref _horizonNs, segment.Times.NewestNs);
        lock (_lock)
        {
            // The file now being written holds the incident's last frames: later files are not its, and the ring may
            // take them (a trigger-only ring keeps going round while the incident is copied out).
            foreach (var incident in _pending)
            {
                if (incident.ToNs <= segment.Times.NewestNs && !_lastHeld.ContainsKey(incident.Name) && _session?.Pipeline.Ring.CurrentPath is { } current
                    && RingNames.TryParseSequence(Path.GetFileName(current), RingPrefix) is { } sequence)
                {
                    _lastHeld[incident.Name] = sequence;
                }
            }
        }
    }

    /// <inheritdoc/>
    public void CaptureEnded()
    {
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Pending from before a restart: the post-trigger time the box was down for is gone; the rest is in the ring.
        foreach (var incident in _leftovers)
        {
            await CompleteAsync(incident with { Note = "the box restarted before the post-trigger time ended" }, stoppingToken, _leftoverLastSequence).ConfigureAwait(false);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            // A fire, the tick (pending incidents to complete, link and drop rules to watch) or the box stopping; with
            // nothing to watch, no tick: a fire or a new capture's rules end the wait. The tick comes on the box's clock
            // thread, and completing an incident copies files, so the loop goes on on the thread pool.
            _fireWait ??= _fires.Reader.WaitToReadAsync(stoppingToken).AsTask();
            // Read before the rules are looked at: rules changed after this completes it.
            var rulesChanged = Volatile.Read(ref _rulesChanged).Task;
            var tick = Watching() ? Task.Delay(Tick, _time, stoppingToken) : rulesChanged;
            await Task.WhenAny(_fireWait, tick).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
            if (_fireWait.IsCompleted)
            {
                _fireWait = null;
            }

            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            while (_fires.Reader.TryRead(out var fire))
            {
                Begin(fire);
                Interlocked.Decrement(ref _provisional);
            }

            WatchPorts();
            foreach (var incident in Snapshot())
            {
                if (Due(incident) is { } note)
                {
                    await CompleteAsync(incident with { Note = note.Length == 0 ? null : note }, stoppingToken).ConfigureAwait(false);
                }
            }
        }
    }

    public override void Dispose()
    {
        _annotator?.Dispose();
        base.Dispose();
    }

    private void OnSession(CaptureSession session)
    {
        _annotator?.Dispose();
        _annotator = null;
        _session = session;
        Volatile.Write(ref _horizonNs, long.MinValue);
        _lastPorts = ([], 0);
        try
        {
            _rules = TriggerRule.ParseAll(_capture.Capture.Triggers, "Capture:Triggers");
            var annotator = new TriggerAnnotator(_rules, session.CompiledFilter, session.Source.FiltersInKernel, Enqueue);
            if (annotator.HasRules)
            {
                _annotator = annotator;
                session.Pipeline.AddAnnotator(annotator);
            }
            else
            {
                annotator.Dispose();
            }
        }
        catch (Exception e) when (e is UserErrorException or Hal.Bpf.FilterCompileException)
        {
            // Checked when the settings were accepted; a filter the source's link type cannot take still only disarms them.
            _rules = [];
            Log.TriggersNotArmed(_log, e.Message);
        }

        session.Pipeline.AddObserver(this);
        // The new rules may need the tick (link and drop rules) that the loop is not running.
        Interlocked.Exchange(ref _rulesChanged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Whether the loop needs its tick: incidents to complete, or link and drop rules to watch.</summary>
    private bool Watching() => Pending > 0 || _rules.Any(r => r.Event is TriggerEvent.LinkDown or TriggerEvent.Drop);

    private void OnNoted(string kind, string text)
    {
        if (kind == "mark")
        {
            OnEvent(TriggerEvent.Mark, _time.GetUtcNow(), text);
        }
    }

    private void OnVmEvent(Vm.VmEvent e)
    {
        if (e.Kind == "announced")
        {
            OnEvent(TriggerEvent.Vm, e.Time, e.Text);
        }
        else if (e.Kind == "failover")
        {
            OnEvent(TriggerEvent.Migration, e.Time, e.Text);
        }
    }

    private void OnEvent(TriggerEvent kind, DateTimeOffset time, string detail)
    {
        var rules = _rules.Where(r => r.Event == kind).ToList();
        if (kind == TriggerEvent.Mark && rules.Count == 0)
        {
            rules.Add(TriggerRule.Mark);
        }

        if (kind == TriggerEvent.Fleet)
        {
            rules.AddRange(_rules.Where(r => r.Event == TriggerEvent.Migration));
        }

        var ns = (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        foreach (var rule in rules)
        {
            bool fires;
            lock (_eventCounts)
            {
                if (!_eventCounts.TryGetValue(rule.Name, out var count))
                {
                    count = _eventCounts[rule.Name] = new TriggerCount(rule);
                }

                fires = count.Hit(ns);
            }

            if (fires)
            {
                Enqueue(new TriggerFire(rule, ns, -1, detail));
            }
        }
    }

    // On the capture thread: until the fire becomes an incident with its exact hold, every ring file is held, so a
    // ring that runs far ahead (a replay) cannot delete the pre-trigger files in between.
    private void Enqueue(TriggerFire fire)
    {
        Interlocked.Increment(ref _provisional);
        if (!_fires.Writer.TryWrite(fire))
        {
            Interlocked.Decrement(ref _provisional);
        }
    }

    // Links going down and drops are read from the box's one snapshot, not from the capture thread.
    private void WatchPorts()
    {
        if (!_rules.Any(r => r.Event is TriggerEvent.LinkDown or TriggerEvent.Drop))
        {
            return;
        }

        var now = _capture.Snapshot();
        var up = now.Ports.Select(p => p.Link.Up).ToArray();
        var dropped = now.Ports.Sum(p => p.Counters.Dropped);
        var (wasUp, wasDropped) = _lastPorts;
        _lastPorts = (up, dropped);
        for (var p = 0; p < Math.Min(up.Length, wasUp.Length); p++)
        {
            if (wasUp[p] && !up[p])
            {
                OnEvent(TriggerEvent.LinkDown, _time.GetUtcNow(), $"port {now.Ports[p].Counters.Port} link down");
            }
        }

        if (wasUp.Length > 0 && dropped > wasDropped)
        {
            OnEvent(TriggerEvent.Drop, _time.GetUtcNow(), $"{dropped - wasDropped} frames dropped");
        }
    }

    private void Begin(TriggerFire fire)
    {
        var rule = fire.Rule;
        var name = IncidentStore.NameFor(rule.Name, fire.TimestampNs);
        var incident = new Incident(name, rule.Name, rule.Describe(), fire.TimestampNs, fire.Port, fire.TimestampNs - rule.PreNs, fire.TimestampNs + rule.PostNs, FirstHeldSequence(rule), fire.Detail, false, 0, null);
        try
        {
            _store.Save(incident);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.IncidentFailed(_log, name, e.Message);
            Interlocked.Increment(ref _failed);
            return;
        }

        lock (_lock)
        {
            _pending.Add(incident);
            _fired[rule.Name] = _fired.GetValueOrDefault(rule.Name) + 1;
        }

        Log.TriggerFired(_log, rule.Name, incident.TriggerTime, name, DateTimeOffset.UnixEpoch.AddTicks(incident.FromNs / 100), DateTimeOffset.UnixEpoch.AddTicks(incident.ToNs / 100));
        _capture.Notify("trigger", $"TRIGGER {rule.Name} at {incident.TriggerTime:HH:mm:ss.fff}: incident {name}{(fire.Detail is null ? string.Empty : $" ({fire.Detail})")}");
    }

    // The ring files written within the pre-trigger time (with a margin), or the file being written: that one and
    // every later one are held. Held by name, so the hold is the same after a restart.
    private long FirstHeldSequence(TriggerRule rule)
    {
        var cutoff = _time.GetUtcNow().UtcDateTime - TimeSpan.FromTicks(rule.PreNs / 100) - TimeSpan.FromSeconds(10);
        var files = RingFiles(_capture.Storage.Directory);
        var held = files.Where(f => File.GetLastWriteTimeUtc(f.Path) >= cutoff).Select(f => f.Sequence).DefaultIfEmpty(long.MaxValue).Min();
        return held == long.MaxValue ? (files.Count > 0 ? files[^1].Sequence : 0) : held;
    }

    private string? HeldBecause(string name)
    {
        if (RingNames.TryParseSequence(name, RingPrefix) is not { } sequence)
        {
            return null;
        }

        if (Volatile.Read(ref _provisional) > 0)
        {
            return "held for an incident being started";
        }

        lock (_lock)
        {
            return _pending.Find(i => sequence >= i.FirstHeldSequence && sequence <= _lastHeld.GetValueOrDefault(i.Name, long.MaxValue)) is { } incident
                ? $"held for incident {incident.Name}" : null;
        }
    }

    /// <summary>Null while the incident must wait; else the note it completes with (empty: none).</summary>
    private string? Due(Incident incident)
    {
        var session = _session;
        if (session is null || session.Pipeline.Completion.IsCompleted)
        {
            // No capture, or it ended: the files are closed, and nothing more will come.
            return Volatile.Read(ref _horizonNs) >= incident.ToNs ? string.Empty : "the capture stopped before the post-trigger time ended";
        }

        long lastHeld;
        lock (_lock)
        {
            lastHeld = _lastHeld.GetValueOrDefault(incident.Name, long.MaxValue);
        }

        if (session.Pipeline.Ring.CurrentPath is { } current && RingNames.TryParseSequence(Path.GetFileName(current), RingPrefix) > lastHeld)
        {
            // The ring has moved past the incident's last file: every file it needs is closed and on the disk.
            return string.Empty;
        }

        var horizon = Volatile.Read(ref _horizonNs);
        if (horizon >= incident.ToNs)
        {
            // Whatever the source's clock, frames past the end are written; give the writer time to put them on disk.
            var passed = _passedEnd.GetValueOrDefault(incident.Name);
            if (passed == 0)
            {
                _passedEnd[incident.Name] = passed = _time.GetTimestamp();
            }

            return _time.GetElapsedTime(passed).Ticks * 100 >= SettleNs ? string.Empty : null;
        }

        // A live capture's frames carry the wall clock: a quiet link must not keep an incident open.
        var nowNs = (_time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        return session.Source.IsLive && nowNs >= incident.ToNs + SettleNs ? string.Empty : null;
    }

    private async Task CompleteAsync(Incident incident, CancellationToken cancel, long lastSequence = long.MaxValue)
    {
        var path = _store.FilePath(incident.Name);
        var part = path + RingFileSet.PartSuffix;
        try
        {
            long frames;
            await using (var stream = new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16, FileOptions.Asynchronous))
            {
                frames = await WriteAsync(stream, incident, lastSequence, cancel).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(part, path, overwrite: true);
            var done = incident with { Complete = true, Frames = frames };
            _store.Save(done);
            lock (_lock)
            {
                _pending.RemoveAll(i => i.Name == incident.Name);
                _lastHeld.Remove(incident.Name);
            }

            _passedEnd.Remove(incident.Name);

            Interlocked.Increment(ref _completed);
            var note = incident.Note is null ? string.Empty : $" ({incident.Note})";
            Log.IncidentComplete(_log, incident.Name, frames, note);
            _capture.Notify("incident", $"incident {incident.Name} complete: {frames} frames{note}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _failed);
            Log.IncidentFailed(_log, incident.Name, e.Message);
        }
    }

    private async Task<long> WriteAsync(Stream stream, Incident incident, long lastSequence, CancellationToken cancel)
    {
        var writer = new PcapngStreamWriter(stream);
        var text = Encoding.UTF8.GetBytes($"TRIGGER {incident.Rule}: {incident.Description}{(incident.Detail is null ? string.Empty : $"; {incident.Detail}")}");
        var commented = false;
        byte[]? Comment(FrameRecord frame)
        {
            // A frame trigger comments its own frame; an event trigger the first frame at or after the event.
            if (commented || frame.TimestampNs < incident.TriggerNs || (incident.Port >= 0 && (frame.TimestampNs != incident.TriggerNs || frame.Port != incident.Port)))
            {
                return null;
            }

            commented = true;
            return text;
        }

        var files = RingFiles(_capture.Storage.Directory).Where(f => f.Sequence >= incident.FirstHeldSequence && f.Sequence <= lastSequence).Select(f => f.Path);
        var section = await RingWindow.CopyAsync(writer, files, incident.FromNs, incident.ToNs, string.Empty, null, Hal.Bpf.BpfFilterProgram.CompileSnaplen, Comment, cancel).ConfigureAwait(false);
        if (section is null)
        {
            writer.Section([new CapturePort("A", "no frames in the incident's window", CapturePort.Ethernet)], Hal.Bpf.BpfFilterProgram.CompileSnaplen, string.Empty);
        }

        if (!commented)
        {
            writer.Comment(0, incident.TriggerNs, Encoding.UTF8.GetString(text));
        }

        if (incident.Note is not null)
        {
            writer.Comment(0, incident.ToNs, $"incident {incident.Name}: {incident.Note}");
        }

        await writer.FlushAsync(cancel).ConfigureAwait(false);
        return writer.Frames;
    }

    private List<Incident> Snapshot()
    {
        lock (_lock)
        {
            return [.. _pending];
        }
    }

    private static List<RingFile> RingFiles(string directory) => RingNames.FilesWithCurrent(directory, RingPrefix);
}
