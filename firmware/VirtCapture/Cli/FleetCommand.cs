using System.CommandLine;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using MQTTnet;
using MQTTnet.Protocol;
using VirtCapture.Fleet;

namespace VirtCapture.Cli;

/// <summary>
/// <c>virtcapture fleet follow|unfollow MAC</c>, <c>fleet vms</c>, <c>fleet boxes</c>: the site's followed VMs and boxes,
/// through the broker of <c>Fleet:Broker</c> (or <c>--broker</c>).
/// </summary>
internal static class FleetCommand
{
    public static Command Build()
    {
        var broker = new Option<string>("--broker") { Description = "the broker, mqtt://HOST[:PORT] or mqtts://… (default: Fleet:Broker)" };
        var site = new Option<string>("--site") { Description = "the site (default: Fleet:Site)" };
        var credentials = new Option<string>("--credentials") { Description = "file with user:password, mode 0600 (default: Fleet:CredentialsFile)" };
        var mac = new Argument<string>("MAC") { Description = "the VM's MAC address" };
        var follow = new Command("follow", "Follow a VM across the site: every box that sees it records it and says where it is") { mac };
        var unfollow = new Command("unfollow", "Stop following a VM") { mac };
        var vms = new Command("vms", "Where every followed VM is, and the box that last saw it");
        var boxes = new Command("boxes", "The site's boxes: online or not, state, clock");
        var vm = new Option<string[]>("--vm") { Description = "the frames of this VM (MAC; repeatable)" };
        var filter = new Option<string>("--filter") { Description = "capture filter (tcpdump syntax) applied by each box" };
        var from = new Option<string>("--from") { Description = "start of the window (RFC 3339 or epoch seconds)", Required = true };
        var to = new Option<string>("--to") { Description = "end of the window (RFC 3339 or epoch seconds)", Required = true };
        var write = new Option<string>("-w") { Description = "pcapng file to write (- for standard output)", Required = true };
        var tokenFile = new Option<string>("--token-file") { Description = "the API token the boxes share (default: Management:TokenFile)" };
        var packets = new Command("packets", "One time-ordered capture of a window from every online box, one interface per box and port") { vm, filter, from, to, write, tokenFile };
        var loadBoxes = new Option<int>("--boxes") { Description = "simulated boxes", DefaultValueFactory = _ => 500 };
        var loadRate = new Option<double>("--rate") { Description = "events per box per second", DefaultValueFactory = _ => 1 };
        var loadSeconds = new Option<int>("--seconds") { Description = "how long to measure", DefaultValueFactory = _ => 20 };
        var load = new Command("load", "Size a broker: simulated boxes (the box's own client code) publish events; prints their latency") { loadBoxes, loadRate, loadSeconds };
        var command = new Command("fleet", "The site's boxes through their MQTT broker") { follow, unfollow, vms, boxes, packets, load };
        command.Options.Add(broker);
        command.Options.Add(site);
        command.Options.Add(credentials);
        broker.Recursive = true;
        site.Recursive = true;
        credentials.Recursive = true;
        FleetOptions Options(ParseResult r) => Resolve(r.GetValue(broker), r.GetValue(site), r.GetValue(credentials));
        follow.SetAction((r, cancel) => Follow(Options(r), r.GetValue(mac)!, true, cancel));
        unfollow.SetAction((r, cancel) => Follow(Options(r), r.GetValue(mac)!, false, cancel));
        vms.SetAction((r, cancel) => ListAsync(Options(r), "vm", cancel));
        boxes.SetAction((r, cancel) => ListAsync(Options(r), "state", cancel));
        load.SetAction((r, cancel) => LoadAsync(Options(r), r.GetValue(loadBoxes), r.GetValue(loadRate), r.GetValue(loadSeconds), cancel));
        packets.SetAction((r, cancel) => PacketsAsync(Options(r), r.GetValue(vm) ?? [], r.GetValue(filter), r.GetValue(from)!, r.GetValue(to)!, r.GetValue(write)!, r.GetValue(tokenFile), cancel));
        return command;
    }

    private static FleetOptions Resolve(string? broker, string? site, string? credentials)
    {
        var configuration = new ConfigurationBuilder();
        RunCommand.AddSources(configuration, []);
        var options = configuration.Build().GetSection(FleetOptions.Section).Get<FleetOptions>() ?? new FleetOptions();
        options = options with
        {
            Broker = broker ?? options.Broker,
            Site = site ?? options.Site,
            CredentialsFile = credentials ?? options.CredentialsFile,
        };
        if (!options.Enabled)
        {
            throw new UserErrorException("fleet: no broker: give --broker mqtt://HOST:PORT or set Fleet:Broker");
        }

        return new FleetOptionsValidator().Validate(null, options) is { Failed: true } invalid
            ? throw new UserErrorException(invalid.Failures!.First())
            : options;
    }

    private static async Task<int> Follow(FleetOptions options, string mac, bool follow, CancellationToken cancel)
    {
        if (!Vm.Mac.TryParse(mac, out var bytes))
        {
            throw new UserErrorException($"fleet {(follow ? "follow" : "unfollow")}: '{mac}' is not a MAC address");
        }

        mac = Vm.Mac.Format(bytes);
        using var client = await FleetRetained.ConnectAsync(options, cancel).ConfigureAwait(false);
        var topics = new FleetTopics(options.Site, "cli");
        // Retained: a box that comes online later, or reconnects, learns it too. An empty retained message clears it.
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topics.Followed(mac)).WithPayload(follow ? Encoding.UTF8.GetBytes(mac) : [])
            .WithRetainFlag().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancel).ConfigureAwait(false);
        await client.DisconnectAsync(cancellationToken: cancel).ConfigureAwait(false);
        Console.WriteLine(follow ? $"following {mac} on site {options.Site}" : $"no longer following {mac} on site {options.Site}");
        return 0;
    }

    private static async Task<int> ListAsync(FleetOptions options, string what, CancellationToken cancel)
    {
        var topics = new FleetTopics(options.Site, "cli");
        var received = await FleetRetained.ReadAsync(options, what == "vm" ? [topics.AllLocations, topics.AllFollowed] : [topics.AllStates], cancel).ConfigureAwait(false);
        foreach (var (topic, payload) in received)
        {
            Console.WriteLine(what == "vm" ? DescribeVm(topic, payload) : DescribeBox(topic, payload));
        }

        return 0;
    }

    private static async Task<int> PacketsAsync(FleetOptions options, string[] vms, string? filter, string from, string to, string output, string? tokenFile, CancellationToken cancel)
    {
        if (vms.Length > 0 && !string.IsNullOrEmpty(filter))
        {
            throw new UserErrorException("fleet packets: give --vm or --filter, not both");
        }

        var expression = vms.Length > 0 ? Vm.VmSelection.Filter(null, vms, "--vm").Recorded : filter ?? string.Empty;
        var configuration = new ConfigurationBuilder();
        RunCommand.AddSources(configuration, []);
        var tokenPath = tokenFile ?? configuration.Build()["Management:TokenFile"] ?? new Configuration.ManagementOptions().TokenFile;
        if (!File.Exists(tokenPath))
        {
            throw new UserErrorException($"fleet packets: no API token at {tokenPath} (--token-file)");
        }

        var boxes = (await FleetRetained.StatesAsync(options, cancel).ConfigureAwait(false))
            .Select(s => new FleetBoxAddress(s.Box, s.Online, s.ManagementUrl, s.Clock)).ToList();
        if (boxes.Count == 0)
        {
            throw new UserErrorException($"fleet packets: no box of site {options.Site} on {options.Broker}");
        }

        var query = $"from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}&filter={Uri.EscapeDataString(expression)}";
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var merge = new FleetPacketMerge(http, File.ReadAllText(tokenPath).Trim());
        await using (var stream = output == "-" ? Console.OpenStandardOutput() : new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16, useAsync: true))
        {
            await merge.WriteAsync(boxes, query, stream, cancel).ConfigureAwait(false);
        }

        Console.Error.WriteLine($"virtcapture: {merge.Frames} frames from {boxes.Count - merge.Failures.Count} of {boxes.Count} boxes{(merge.Failures.Count > 0 ? "; missing: " + string.Join("; ", merge.Failures) : string.Empty)}");
        return merge.Failures.Count > 0 ? 3 : 0;
    }

    private static async Task<int> LoadAsync(FleetOptions options, int boxes, double rate, int seconds, CancellationToken cancel)
    {
        if (boxes is < 1 or > 20_000 || rate is <= 0 or > 1000 || seconds is < 1 or > 3600)
        {
            throw new UserErrorException("fleet load: --boxes 1 to 20000, --rate above 0 to 1000, --seconds 1 to 3600");
        }

        var (latencies, sent) = await FleetLoad.RunAsync(FleetBroker.TryParse(options.Broker)!, FleetCredentials.Read(options.CredentialsFile), options.Site, boxes, rate, TimeSpan.FromSeconds(seconds), cancel).ConfigureAwait(false);
        latencies.Sort();
        double At(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{boxes} boxes x {rate} events/s for {seconds} s: {sent} sent, {latencies.Count} received ({sent - latencies.Count} missing), latency median {At(0.5):F1} ms, p99 {At(0.99):F1} ms, max {(latencies.Count > 0 ? latencies[^1] : double.NaN):F1} ms"));
        return 0;
    }

    private static string DescribeVm(string topic, string payload)
    {
        if (topic.Contains("/follow/", StringComparison.Ordinal))
        {
            return $"{FleetTopics.Last(topic)}  followed";
        }

        var at = JsonSerializer.Deserialize(payload, FleetJsonContext.Default.VmLocation)!;
        return $"{at.Mac}  on box {at.Box}, port {at.Port}{(at.Vlan > 0 ? $", VLAN {at.Vlan}" : string.Empty)}, since {at.Time:yyyy-MM-dd HH:mm:ss.fff} ({at.How})";
    }

    private static string DescribeBox(string topic, string payload)
    {
        var state = JsonSerializer.Deserialize(payload, FleetJsonContext.Default.FleetState)!;
        var clock = state.Clock is { } c ? $", clock {(c.Synchronized ? "synchronised" : "NOT synchronised")} ({c.Source})" : string.Empty;
        return $"{state.Box}  {(state.Online ? "online" : "OFFLINE")}{(state.State is null ? string.Empty : ", " + state.State)}{clock}{(state.ManagementUrl is null ? string.Empty : ", " + state.ManagementUrl)}";
    }
}
