using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using VirtCapture.Daemon;
using VirtCapture.Management.Contracts;

namespace VirtCapture.Fleet;

/// <summary>
/// The box as a member of a fleet: its state (retained, with the Will), counters, events and VM inventory on the
/// broker, commands from it, and the site's followed VMs. Nothing here is on the capture path: events are queued
/// without waiting (a bounded queue; what does not fit is counted and told), and a broker that is down costs the
/// capture nothing.
/// </summary>
internal sealed class FleetService : BackgroundService
{
    private readonly FleetOptions _options;
    private readonly CaptureService _capture;
    private readonly Vm.VmObserver _vms;
    private readonly ILogger<FleetService> _log;
    private readonly FleetTopics _topics;
    private readonly Channel<FleetEvent> _events;
    private readonly ConcurrentDictionary<string, bool> _followed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, VmLocation> _locations = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<VmLocation> _pendingLocations = new();
    private readonly ConcurrentDictionary<string, FleetState> _boxes = new(StringComparer.Ordinal);
    // Where each followed VM has been, oldest first, at most HistoryLength places each.
    private readonly ConcurrentDictionary<string, List<VmLocation>> _history = new(StringComparer.Ordinal);
    private const int HistoryLength = 50;
    private readonly ConcurrentDictionary<string, bool> _reported = new(StringComparer.Ordinal);
    // The last announcement of every VM (bounded by the inventory's size): a follow that arrives after it still says how.
    private readonly ConcurrentDictionary<string, string> _announcements = new(StringComparer.Ordinal);
    private readonly string? _managementUrl;
    private FleetConnection? _connection;
    private long _lost;
    private long _lostTold;
    private string _vmsSignature = string.Empty;
    private string? _lastActivity;
    private string _syncToken = string.Empty;
    private volatile bool _synced;

    public FleetService(IOptions<FleetOptions> options, IOptions<Configuration.ManagementOptions> management, CaptureService capture, Vm.VmObserver vms, ILogger<FleetService> log)
    {
        _options = options.Value;
        // Without Fleet:ManagementUrl the box's own first URL: right on one machine; a site sets the routable one.
        _managementUrl = _options.ManagementUrl.Length > 0 ? _options.ManagementUrl : management.Value.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        _capture = capture;
        _vms = vms;
        _log = log;
        _topics = new FleetTopics(_options.Site, _options.BoxName);
        _events = Channel.CreateBounded<FleetEvent>(new BoundedChannelOptions(_options.EventQueueLimit) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        if (_options.Enabled)
        {
            // From construction, before any hosted service starts: a replay's first events come before the broker does.
            _vms.Inventory.EventRaised += OnVmEvent;
            _capture.Noted += OnNoted;
        }
    }

    /// <summary>A followed VM arrived on this box from another box of the fleet (raised on the receiving thread).</summary>
    public event Action<FleetEvent>? Moved;

    /// <summary>The topics of this box.</summary>
    public FleetTopics Topics => _topics;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        var broker = FleetBroker.TryParse(_options.Broker)!;
        var offline = Json(new FleetState(false, _topics.Box, null, null, null, null, null, null, DateTimeOffset.UtcNow), FleetJsonContext.Default.FleetState);
        using var connection = new FleetConnection($"virtcapture-{_options.Site}-{_topics.Box}", broker, FleetCredentials.Read(_options.CredentialsFile), TimeSpan.FromSeconds(_options.KeepAliveSeconds), _topics.State, offline, _log)
        {
            Connected = OnConnectedAsync,
            Received = OnReceivedAsync,
        };
        _connection = connection;
        var publisher = PublishLoopAsync(stoppingToken);
        await connection.RunAsync(PublishOfflineAsync, stoppingToken).ConfigureAwait(false);
        await publisher.ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _vms.Inventory.EventRaised -= OnVmEvent;
        _capture.Noted -= OnNoted;
        base.Dispose();
    }

    // Birth: subscriptions first (so retained follows and locations arrive), then the retained state and inventory.
    private async Task OnConnectedAsync(IMqttClient client, CancellationToken cancel)
    {
        var subscribe = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(_topics.Commands, MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(_topics.AllFollowed, MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(_topics.AllLocations, MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(_topics.AllStates, MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(_topics.Sync, MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        _synced = false;
        await client.SubscribeAsync(subscribe, cancel).ConfigureAwait(false);
        // Where a followed VM was last seen arrives as retained messages, after the subscription is acknowledged; a VM
        // judged before they are all in would be "seen" here instead of "moved" from the box that had it.
        _syncToken = Guid.NewGuid().ToString("N");
        await client.PublishAsync(Message(_topics.Sync, Encoding.UTF8.GetBytes(_syncToken), qos: MqttQualityOfServiceLevel.AtLeastOnce), cancel).ConfigureAwait(false);
        await client.PublishAsync(StateMessage(), cancel).ConfigureAwait(false);
        _vmsSignature = string.Empty;
    }

    private async Task PublishOfflineAsync(CancellationToken cancel)
    {
        var offline = Json(new FleetState(false, _topics.Box, Version, null, null, null, null, null, DateTimeOffset.UtcNow), FleetJsonContext.Default.FleetState);
        await _connection!.TryPublishAsync(Message(_topics.State, offline, retain: true), cancel).ConfigureAwait(false);
    }

    private async Task PublishLoopAsync(CancellationToken stop)
    {
        var nextStatus = DateTime.UtcNow;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var connection = _connection!;
            if (!connection.IsConnected)
            {
                continue;
            }

            await PublishEventsAsync(connection, stop).ConfigureAwait(false);
            FollowedSeen();
            if (DateTime.UtcNow >= nextStatus)
            {
                nextStatus = DateTime.UtcNow.AddSeconds(_options.StatusIntervalSeconds);
                await PublishStatusAsync(connection, stop).ConfigureAwait(false);
            }
        }
    }

    private async Task PublishEventsAsync(FleetConnection connection, CancellationToken stop)
    {
        var lost = Interlocked.Read(ref _lost);
        if (lost > _lostTold)
        {
            var told = new FleetEvent(DateTimeOffset.UtcNow, _topics.Box, "lost", $"{lost - _lostTold} events were not kept while the broker was unreachable (Fleet:EventQueueLimit {_options.EventQueueLimit})");
            if (await connection.TryPublishAsync(Message(_topics.Events, Json(told, FleetJsonContext.Default.FleetEvent), qos: MqttQualityOfServiceLevel.AtLeastOnce), stop).ConfigureAwait(false))
            {
                _lostTold = lost;
            }
        }

        while (_pendingLocations.TryPeek(out var location))
        {
            if (!await connection.TryPublishAsync(Message(_topics.Location(location.Mac), Json(location, FleetJsonContext.Default.VmLocation), retain: true, qos: MqttQualityOfServiceLevel.AtLeastOnce), stop).ConfigureAwait(false))
            {
                break;
            }

            _pendingLocations.TryDequeue(out _);
        }

        while (_events.Reader.TryPeek(out var next))
        {
            if (!await connection.TryPublishAsync(Message(_topics.Events, Json(next, FleetJsonContext.Default.FleetEvent), qos: MqttQualityOfServiceLevel.AtLeastOnce), stop).ConfigureAwait(false))
            {
                return; // kept for the next connection
            }

            _events.Reader.TryRead(out _);
        }
    }

    private async Task PublishStatusAsync(FleetConnection connection, CancellationToken stop)
    {
        var now = _capture.Snapshot();
        var activity = now.Activity.ToString().ToLowerInvariant();
        if (activity != _lastActivity)
        {
            _lastActivity = activity;
            await connection.TryPublishAsync(StateMessage(), stop).ConfigureAwait(false);
        }

        var status = new FleetStatus(DateTimeOffset.UtcNow, activity, now.Fault, Management.PortStatuses.Of(now), now.DiskFree, now.DiskTotal, now.CurrentFile, Interlocked.Read(ref _lost));
        await connection.TryPublishAsync(Message(_topics.Status, Json(status, FleetJsonContext.Default.FleetStatus)), stop).ConfigureAwait(false);

        var inventory = _vms.Inventory.Snapshot();
        var signature = string.Join('|', inventory.Select(v => $"{v.Mac}/{v.Port}/{v.Vlan}/{v.Gone}/{string.Join(',', v.Addresses)}"));
        if (signature != _vmsSignature && await connection.TryPublishAsync(Message(_topics.Vms, Json(inventory, FleetJsonContext.Default.IReadOnlyListVmView), retain: true), stop).ConfigureAwait(false))
        {
            _vmsSignature = signature;
        }
    }

    // A followed VM in this box's inventory is told once ("seen"), its files protected and its location published.
    private void FollowedSeen()
    {
        if (_followed.IsEmpty || !_synced)
        {
            return;
        }

        foreach (var vm in _vms.Inventory.Snapshot())
        {
            if (!vm.Gone && _followed.ContainsKey(vm.Mac) && _reported.TryAdd(vm.Mac, true))
            {
                Located(vm.Mac, vm.Port, vm.Vlan, vm.LastSeen, _announcements.GetValueOrDefault(vm.Mac, "its traffic"));
            }
        }
    }

    private void Located(string mac, string port, int vlan, DateTimeOffset time, string how)
    {
        _capture.ProtectRecent();
        var previous = _locations.GetValueOrDefault(mac);
        if (previous is not null && previous.Box != _topics.Box)
        {
            var moved = new FleetEvent(time, _topics.Box, "moved", $"VM {mac} moved from box {previous.Box} to box {_topics.Box} at {time:HH:mm:ss.fff} ({how})", mac, port, vlan);
            Enqueue(moved);
            Moved?.Invoke(moved);
        }

        Enqueue(new FleetEvent(time, _topics.Box, "seen", $"VM {mac} seen on box {_topics.Box}, port {port}{(vlan > 0 ? $", VLAN {vlan}" : string.Empty)} ({how})", mac, port, vlan));
        var location = new VmLocation(mac, _topics.Box, port, vlan, time, how);
        _locations[mac] = location;
        _pendingLocations.Enqueue(location);
    }

    private async Task OnReceivedAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        var topic = message.Topic;
        var payload = message.Payload.IsEmpty ? string.Empty : Encoding.UTF8.GetString(message.Payload);
        if (topic == _topics.Sync)
        {
            _synced |= payload == _syncToken;
        }
        else if (topic.StartsWith(_topics.Site + "/follow/", StringComparison.Ordinal))
        {
            await FollowChangedAsync(FleetTopics.Last(topic), payload.Length > 0).ConfigureAwait(false);
        }
        else if (topic.StartsWith(_topics.Site + "/vm/", StringComparison.Ordinal))
        {
            if (payload.Length > 0 && JsonSerializer.Deserialize(payload, FleetJsonContext.Default.VmLocation) is { } location)
            {
                _locations[FleetTopics.Last(topic)] = location;
                Remember(location);
            }
        }
        else if (topic.EndsWith("/state", StringComparison.Ordinal) && topic.StartsWith(_topics.Site + "/", StringComparison.Ordinal))
        {
            if (payload.Length > 0 && JsonSerializer.Deserialize(payload, FleetJsonContext.Default.FleetState) is { } state)
            {
                _boxes[state.Box] = state;
            }
        }
        else if (topic.StartsWith(_topics.Root + "/cmd/", StringComparison.Ordinal))
        {
            var reply = await CommandAsync(FleetTopics.Last(topic), payload).ConfigureAwait(false);
            var answer = new MqttApplicationMessageBuilder()
                .WithTopic(message.ResponseTopic ?? _topics.Root + "/replies")
                .WithPayload(Json(reply, FleetJsonContext.Default.FleetReply))
                .WithCorrelationData(message.CorrelationData)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            await _connection!.TryPublishAsync(answer, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The site as this box sees it: followed VMs with where they are and have been, and the boxes.</summary>
    public FleetView View() => new(
        _options.Enabled,
        _connection?.IsConnected ?? false,
        _options.Site,
        _topics.Box,
        [.. _followed.Keys.Order(StringComparer.Ordinal).Select(mac => new FollowedVm(mac, _locations.GetValueOrDefault(mac), History(mac)))],
        [.. _boxes.Values.OrderBy(b => b.Box, StringComparer.Ordinal).Select(b => new FleetBoxView(b.Box, b.Online, b.State, b.ManagementUrl, b.Clock))]);

    /// <summary>The site's boxes for a fleet query.</summary>
    public IReadOnlyList<FleetBoxAddress> Boxes => [.. _boxes.Values.OrderBy(b => b.Box, StringComparer.Ordinal).Select(b => new FleetBoxAddress(b.Box, b.Online, b.ManagementUrl, b.Clock))];

    /// <summary>Follows (or stops following) a VM across the site: a retained message every box reads.</summary>
    /// <returns>False when the broker is not reachable now.</returns>
    public Task<bool> FollowAsync(string mac, bool follow) =>
        _connection is { } connection
            ? connection.TryPublishAsync(Message(_topics.Followed(mac), follow ? Encoding.UTF8.GetBytes(mac) : [], retain: true, qos: MqttQualityOfServiceLevel.AtLeastOnce), CancellationToken.None)
            : Task.FromResult(false);

    private IReadOnlyList<VmLocation> History(string mac)
    {
        if (!_history.TryGetValue(mac, out var places))
        {
            return [];
        }

        lock (places)
        {
            return [.. places];
        }
    }

    // A new place (another box, port or VLAN) is a step in the VM's history; the same place again is not.
    private void Remember(VmLocation location)
    {
        var places = _history.GetOrAdd(location.Mac, _ => []);
        lock (places)
        {
            if (places.Count > 0 && places[^1] is var last && last.Box == location.Box && last.Port == location.Port && last.Vlan == location.Vlan)
            {
                return;
            }

            places.Add(location);
            if (places.Count > HistoryLength)
            {
                places.RemoveAt(0);
            }
        }
    }

    private async Task FollowChangedAsync(string mac, bool followed)
    {
        if (!Vm.Mac.TryParse(mac, out var bytes))
        {
            return;
        }

        mac = Vm.Mac.Format(bytes);
        if (!followed)
        {
            _followed.TryRemove(mac, out _);
            return;
        }

        if (_followed.TryAdd(mac, true))
        {
            Log.FleetNote(_log, $"following VM {mac} across the site");
            var capture = _capture.Capture;
            if (capture.Vms.Count > 0 && !capture.Vms.Contains(mac, StringComparer.OrdinalIgnoreCase))
            {
                // A VM-scoped box records the followed VM too, from now on: its MAC joins the kernel filter.
                await _capture.ReconfigureAsync(capture with { Vms = [.. capture.Vms, mac] }, null).ConfigureAwait(false);
            }
        }
    }

    private async Task<FleetReply> CommandAsync(string verb, string payload)
    {
        try
        {
            switch (verb)
            {
                case "start":
                    _capture.StartCapture();
                    break;
                case "stop":
                    await _capture.StopCaptureAsync().ConfigureAwait(false);
                    break;
                case "mark":
                    return Reply(detail: $"MARK {_capture.Mark()}");
                case "follow" or "unfollow":
                    var mac = payload.Trim().Trim('"');
                    if (!Vm.Mac.TryParse(mac, out var bytes))
                    {
                        return Refuse($"{verb}: the payload must be a VM's MAC address, got '{mac}'");
                    }

                    mac = Vm.Mac.Format(bytes);
                    await _connection!.TryPublishAsync(Message(_topics.Followed(mac), verb == "follow" ? Encoding.UTF8.GetBytes(mac) : [], retain: true, qos: MqttQualityOfServiceLevel.AtLeastOnce), CancellationToken.None).ConfigureAwait(false);
                    return Reply(detail: $"{verb}ing {mac} across site {_options.Site}");
                case "config":
                    return Reply(detail: JsonSerializer.Serialize(_capture.Capture, Management.Contracts.FirmwareJsonContext.Default.CaptureOptions));
                default:
                    return Refuse($"unknown command '{verb}': start, stop, mark, follow, unfollow, config");
            }

            return Reply();
        }
        catch (Exception ex) when (ex is UserErrorException or IOException || CaptureService.IsFault(ex))
        {
            return Refuse(ex.Message);
        }
    }

    private FleetReply Reply(string? detail = null) => new(true, _topics.Box, null, _capture.Activity.ToString().ToLowerInvariant(), detail);

    private FleetReply Refuse(string why) => new(false, _topics.Box, why, _capture.Activity.ToString().ToLowerInvariant());

    private void OnVmEvent(Vm.VmEvent e)
    {
        Enqueue(new FleetEvent(e.Time, _topics.Box, e.Kind, e.Text, e.Mac, e.Port, e.Vlan));
        if (e.Kind == "announced")
        {
            _announcements[e.Mac] = How(e.Text);
        }

        if (e.Kind == "gone")
        {
            // Traffic of a VM that still flows here after it moved does not claim it back; coming back after silence
            // (or announcing itself here) does.
            _reported.TryRemove(e.Mac, out _);
        }

        if (e.Kind == "announced" && _followed.ContainsKey(e.Mac))
        {
            // The announcement a migration sends is where the VM is now, at once: no waiting for its traffic.
            _reported.TryAdd(e.Mac, true);
            Located(e.Mac, e.Port, e.Vlan, e.Time, How(e.Text));
        }
    }

    private void OnNoted(string kind, string text) => Enqueue(new FleetEvent(DateTimeOffset.UtcNow, _topics.Box, kind, text));

    private void Enqueue(FleetEvent e)
    {
        if (!_events.Writer.TryWrite(e))
        {
            Interlocked.Increment(ref _lost);
        }
    }

    private MqttApplicationMessage StateMessage()
    {
        var now = _capture.Snapshot();
        ClockStatus? clock;
        try
        {
            clock = ClockProbe.Read();
        }
        catch (IOException)
        {
            clock = null;
        }

        var state = new FleetState(true, _topics.Box, Version, _capture.Capture.Mode, now.Activity.ToString().ToLowerInvariant(), Management.PortStatuses.Of(now), _managementUrl, clock, DateTimeOffset.UtcNow);
        return Message(_topics.State, Json(state, FleetJsonContext.Default.FleetState), retain: true, qos: MqttQualityOfServiceLevel.AtLeastOnce);
    }

    private static string? Version => typeof(FleetService).Assembly.GetName().Version?.ToString(3);


    // "VM … announced on port A (RARP)": what announced it is the last parenthesis.
    private static string How(string text) =>
        text.EndsWith(')') && text.LastIndexOf('(') is var open and >= 0 ? text[(open + 1)..^1] : "announcement";

    private static byte[] Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) => JsonSerializer.SerializeToUtf8Bytes(value, info);

    private static MqttApplicationMessage Message(string topic, byte[] payload, bool retain = false, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtMostOnce) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag(retain).WithQualityOfServiceLevel(qos).WithContentType("application/json").Build();
}
