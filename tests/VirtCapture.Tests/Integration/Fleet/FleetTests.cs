using System.Diagnostics;
using System.Text.Json;
using MQTTnet;

namespace VirtCapture.Tests.Integration.Fleet;

/// <summary>
/// Boxes on a real Mosquitto broker, seen as a fleet tool sees them: birth and Will, counters, events, inventory,
/// commands with MQTT 5 response topics, credentials, a broker restart, and a followed VM moving between boxes.
/// </summary>
public sealed class FleetTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_box_is_born_retained_publishes_counters_events_and_vms_and_its_will_says_offline_when_killed()
    {
        using var broker = new MosquittoBroker();
        using var box = new FleetBox(broker, "h1");
        using var fleet = MqttWatcher.Connect(broker.Port);
        var state = fleet.WaitFor(box.Topic("state"), s => s.GetProperty("online").GetBoolean() && s.GetProperty("state").GetString() == "capturing", "online and capturing");
        Assert.Equal("h1", state.GetProperty("box").GetString());
        Assert.Equal(2, state.GetProperty("ports").GetArrayLength());
        var clock = state.GetProperty("clock");
        Assert.True(clock.TryGetProperty("synchronized", out _) && clock.GetProperty("source").GetString()!.Length > 0);

        fleet.WaitFor(box.Topic("status"), s => s.GetProperty("ports")[0].GetProperty("counters").GetProperty("received").GetInt64() > 0, "counters moving");
        fleet.WaitFor(box.Topic("events"), e => e.GetProperty("kind").GetString() == "announced" && e.GetProperty("mac").GetString()!.Length == 17, "a VM announcement");
        fleet.WaitFor(box.Topic("vms"), v => v.GetArrayLength() >= 6, "the simulated board's VMs");

        // A tool that connects later still finds the box and its inventory: both are retained.
        using (var late = MqttWatcher.Connect(broker.Port))
        {
            late.WaitFor(box.Topic("state"), s => s.GetProperty("online").GetBoolean(), "the retained state", seconds: 5);
            late.WaitFor(box.Topic("vms"), v => v.GetArrayLength() >= 6, "the retained inventory", seconds: 5);
        }

        var killed = DateTime.UtcNow;
        box.Process.KillHard();
        fleet.WaitFor(box.Topic("state"), s => !s.GetProperty("online").GetBoolean(), "the Will: offline", seconds: 10);
        var offlineAfter = fleet.ArrivalOf(box.Topic("state"), s => !s.GetProperty("online").GetBoolean()) - killed;
        // Keep-alive 2 s: the broker gives up on a silent client after 1.5 times that.
        Assert.True(offlineAfter <= TimeSpan.FromSeconds(3.5), $"offline {offlineAfter.TotalSeconds:F1} s after the kill");
    }

    [Fact]
    public void Commands_are_answered_on_their_response_topic_and_the_broker_wants_the_fleet_credentials()
    {
        using var broker = new MosquittoBroker("fleet", "s3cret-Fleet");
        var credentials = _dir.File("fleet.credentials");
        File.WriteAllText(credentials, "fleet:s3cret-Fleet\n");
        File.SetUnixFileMode(credentials, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var box = new FleetBox(broker, "h1", credentials: credentials);
        using var fleet = MqttWatcher.Connect(broker.Port, user: "fleet", password: "s3cret-Fleet");
        fleet.WaitFor(box.Topic("state"), s => s.GetProperty("online").GetBoolean(), "online");

        var mark = fleet.Command(box.Topic("cmd/mark"));
        Assert.True(mark.GetProperty("ok").GetBoolean());
        Assert.Equal("MARK 1", mark.GetProperty("detail").GetString());
        fleet.WaitFor(box.Topic("events"), e => e.GetProperty("kind").GetString() == "mark", "the MARK event");
        var stop = fleet.Command(box.Topic("cmd/stop"));
        Assert.Equal("idle", stop.GetProperty("state").GetString());
        fleet.WaitFor(box.Topic("state"), s => s.GetProperty("state").GetString() == "idle", "the state after stop");
        Assert.Equal("capturing", fleet.Command(box.Topic("cmd/start")).GetProperty("state").GetString());
        var wrong = fleet.Command(box.Topic("cmd/reboot"));
        Assert.False(wrong.GetProperty("ok").GetBoolean());
        Assert.StartsWith("unknown command 'reboot'", wrong.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("follow: the payload must be a VM's MAC address", fleet.Command(box.Topic("cmd/follow"), "nonsense").GetProperty("error").GetString(), StringComparison.Ordinal);

        // Without the credentials nobody gets in, so nobody can command the box.
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, MqttWatcher.Refusal(broker.Port, null, null));
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, MqttWatcher.Refusal(broker.Port, "fleet", "guess"));

        // Credentials others can read are refused at start, in one line.
        File.SetUnixFileMode(credentials, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var refused = Firmware.Run(new Dictionary<string, string> { ["Fleet__Broker"] = broker.Url, ["Fleet__CredentialsFile"] = credentials, ["VIRTCAPTURE_CONFIG_DIR"] = _dir.File("none") }, "run");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"Fleet:CredentialsFile {credentials} is readable by others: chmod 600", Assert.Single(refused.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void A_trigger_that_fires_and_its_incident_are_fleet_events()
    {
        using var broker = new MosquittoBroker();
        using var box = new FleetBox(broker, "h1", settings: ["--Capture:Triggers:0=marked: event=mark; pre=2s; post=1s"]);
        using var fleet = MqttWatcher.Connect(broker.Port);
        fleet.WaitFor(box.Topic("state"), s => s.GetProperty("online").GetBoolean(), "online");
        Assert.True(fleet.Command(box.Topic("cmd/mark")).GetProperty("ok").GetBoolean());
        var fired = fleet.WaitFor(box.Topic("events"), e => e.GetProperty("kind").GetString() == "trigger", "the trigger event");
        Assert.StartsWith("TRIGGER marked at ", fired.GetProperty("text").GetString(), StringComparison.Ordinal);
        var done = fleet.WaitFor(box.Topic("events"), e => e.GetProperty("kind").GetString() == "incident", "the incident event");
        Assert.Matches(@"^incident incident-\d{8}-\d{6}\.\d{3}-marked complete: \d+ frames$", done.GetProperty("text").GetString());
    }

    [Fact]
    public void A_broker_restart_is_survived_and_the_events_of_the_outage_come_after_it()
    {
        using var broker = new MosquittoBroker();
        using var box = new FleetBox(broker, "h1");
        using (var fleet = MqttWatcher.Connect(broker.Port))
        {
            fleet.WaitFor(box.Topic("state"), s => s.GetProperty("online").GetBoolean(), "online");
        }

        broker.Stop();
        box.Process.WaitFor("Fleet: broker mqtt://127.0.0.1:", TimeSpan.FromSeconds(15));
        // While the broker is away the box goes on capturing, and a MARK happens.
        Assert.Contains("unreachable", box.Process.Output, StringComparison.Ordinal);
        Assert.Equal(200, box.Post("/api/sim/buttons/mark", "{\"action\":\"press\"}"));

        broker.Start();
        using var after = MqttWatcher.Connect(broker.Port);
        after.WaitFor(box.Topic("state"), s => s.GetProperty("online").GetBoolean(), "online again after the restart", seconds: 40);
        after.WaitFor(box.Topic("events"), e => e.GetProperty("kind").GetString() == "mark", "the MARK made during the outage", seconds: 20);
        Assert.Contains("(again time)", box.Process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_followed_vm_is_seen_where_it_is_and_its_migration_to_another_box_is_one_event()
    {
        const string Vm = "00:50:56:9a:10:02";
        using var broker = new MosquittoBroker();
        using var fleet = MqttWatcher.Connect(broker.Port);
        var follow = Firmware.Run("fleet", "follow", Vm.ToUpperInvariant(), "--broker", broker.Url, "--site", "lab");
        Assert.True(follow.ExitCode == 0, follow.StdErr);
        Assert.Contains($"following {Vm} on site lab", follow.StdOut, StringComparison.Ordinal);

        // Replays, not the simulated board: its traffic announces VMs now and then, which would (rightly) claim the VM
        // back for h1 at a moment the test does not choose.
        var onH1 = _dir.File("on-h1.pcap");
        Scapy(onH1, $"""[Ether(src="{Vm}", dst="00:50:56:9a:20:01") / IP(src="10.10.0.12", dst="10.10.0.1") / UDP(dport=2000) / Raw(b"x" * 40) for i in range(5)]""");
        using var h1 = new FleetBox(broker, "h1", replay: onH1);
        fleet.WaitFor(h1.Topic("events"), e => e.GetProperty("kind").GetString() == "seen" && e.GetProperty("mac").GetString() == Vm, "h1 sees the followed VM");
        fleet.WaitFor($"virtcapture/lab/vm/{Vm}", l => l.GetProperty("box").GetString() == "h1", "its location: h1");
        Assert.True(File.Exists(Path.Combine(h1.Captures, ".protected")), "h1 protects the files holding the followed VM");

        // The VM is live-migrated to h2's host: its announcement (RARP, built by Scapy) arrives there.
        var rarp = _dir.File("rarp.pcap");
        Scapy(rarp, $"""
            [Ether(src="{Vm}", dst="ff:ff:ff:ff:ff:ff", type=0x8035) / ARP(op=3, hwsrc="{Vm}", hwdst="{Vm}", psrc="0.0.0.0", pdst="0.0.0.0")]
              + [Ether(src="{Vm}", dst="00:50:56:9a:20:01") / IP(src="10.10.0.12", dst="10.10.0.1") / UDP(dport=2000) / Raw(b"x" * 40) for i in range(5)]
            """);
        using var h2 = new FleetBox(broker, "h2", replay: rarp);
        var moved = fleet.WaitFor(h2.Topic("events"), e => e.GetProperty("kind").GetString() == "moved", "the migration event");
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(moved.GetProperty("text").GetString()!, $"^VM {Vm} moved from box h1 to box h2 at [0-9:.]+ \\(RARP\\)$"), moved.GetProperty("text").GetString());
        fleet.WaitFor($"virtcapture/lab/vm/{Vm}", l => l.GetProperty("box").GetString() == "h2" && l.GetProperty("how").GetString() == "RARP", "its location: h2");

        var vms = Firmware.Run("fleet", "vms", "--broker", broker.Url, "--site", "lab");
        Assert.True(vms.ExitCode == 0, vms.StdErr);
        // h2 replays a classic pcap: its one port is if0.
        Assert.Contains($"{Vm}  on box h2, port if0, since ", vms.StdOut, StringComparison.Ordinal);
        Assert.Contains($"{Vm}  followed", vms.StdOut, StringComparison.Ordinal);
        // h1 still carries the VM's old traffic in this simulation: that does not claim it back (no ping-pong).
        Assert.DoesNotContain(fleet.On(h1.Topic("events")), e => e.Contains("\"kind\":\"moved\"", StringComparison.Ordinal));
        var boxes = Firmware.Run("fleet", "boxes", "--broker", broker.Url, "--site", "lab");
        Assert.Contains("h1  online", boxes.StdOut, StringComparison.Ordinal);
        Assert.Contains("h2  online", boxes.StdOut, StringComparison.Ordinal);
    }

    // Frames built by Scapy (a Python list expression over Ether, ARP, IP, UDP, Raw), stamped from now on, into a pcap.
    private static void Scapy(string file, string frames)
    {
        var made = Run.Program("/usr/bin/python3", "-c", $"""
            import sys, time
            from scapy.all import Ether, ARP, IP, UDP, Raw, wrpcap
            frames = ({frames.Trim()})
            now = time.time()
            for i, f in enumerate(frames):
                f.time = now + i * 0.01
            wrpcap(sys.argv[1], frames)
            """, file);
        Assert.True(made.ExitCode == 0, made.StdErr);
    }

    [Fact]
    public void Fleet_packets_merges_every_box_window_in_time_order_and_names_a_box_that_is_missing()
    {
        const string Vm = "00:50:56:9a:10:02";
        using var broker = new MosquittoBroker();
        using var fleet = MqttWatcher.Connect(broker.Port);
        using var h1 = new FleetBox(broker, "h1");
        fleet.WaitFor(h1.Topic("state"), s => s.GetProperty("online").GetBoolean(), "h1 online");
        // The boxes of a fleet share the API token the query uses.
        using var h2 = new FleetBox(broker, "h2", token: h1.TokenFile);
        using var h3 = new FleetBox(broker, "h3", token: h1.TokenFile);
        fleet.WaitFor(h2.Topic("state"), s => s.GetProperty("online").GetBoolean() && s.GetProperty("managementUrl").GetString() == h2.Url, "h2 online with its URL");
        fleet.WaitFor(h3.Topic("state"), s => s.GetProperty("online").GetBoolean(), "h3 online");
        h3.Process.KillHard();
        fleet.WaitFor(h3.Topic("state"), s => !s.GetProperty("online").GetBoolean(), "h3 offline");
        var from = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 30;
        Thread.Sleep(1500);
        var to = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var merged = _dir.File("merged.pcapng");
        var run = Firmware.Run("fleet", "packets", "--vm", Vm, "--from", $"{from}", "--to", $"{to}", "-w", merged, "--token-file", h1.TokenFile, "--broker", broker.Url, "--site", "lab");
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("from 2 of 3 boxes; missing: h3: it is offline", run.StdErr, StringComparison.Ordinal);
        Tshark.AssertReadsCleanly(merged);
        // The notes: a warning for each box whose clock its state calls unsynchronised (as this machine's may be), then h3.
        var warnings = new[] { h1, h2 }
            .Select(b => (b.Name, Clock: fleet.WaitFor(b.Topic("state"), s => s.GetProperty("online").GetBoolean(), "its state").GetProperty("clock")))
            .Where(b => !b.Clock.GetProperty("synchronized").GetBoolean())
            .Select(b => $"VirtCapture fleet: box {b.Name}'s clock is NOT synchronised ({b.Clock.GetProperty("source").GetString()}): its frames may be out of order against the other boxes'");
        Assert.Equal([.. warnings, "VirtCapture fleet: box h3 is missing from this capture: it is offline"], Tshark.Fields(merged, "frame.comment", "frame.comment"));

        // Exactly the union of what each box answers for the same window and VM, each frame under its box and port.
        var expected = new List<string>();
        foreach (var box in new[] { h1, h2 })
        {
            var own = _dir.File($"{box.Name}.pcapng");
            var token = File.ReadAllText(box.TokenFile).Trim();
            Assert.Equal(0, Run.Program("curl", "-sf", "-o", own, "-H", $"Authorization: Bearer {token}", $"{box.Url}/api/packets?from={from}&to={to}&filter=ether%20host%20{Vm}").ExitCode);
            expected.AddRange(Tshark.Fields(own, "eth", "frame.time_epoch", "frame.interface_name", "frame.len", "eth.src", "ip.id").Select(l => $"{box.Name} port {l.Split('\t')[1]}|{l}"));
        }

        var actual = Tshark.Fields(merged, "eth", "frame.time_epoch", "frame.interface_name", "frame.len", "eth.src", "ip.id");
        Assert.True(expected.Count > 10, $"the VM's frames on both boxes ({expected.Count})");
        Assert.Equal(expected.Select(e => e.Split('|')[0] + "|" + Drop(e.Split('|')[1], 1)).Order(StringComparer.Ordinal), actual.Select(l => l.Split('\t')[1] + "|" + Drop(l, 1)).Order(StringComparer.Ordinal));
        var times = actual.Select(l => decimal.Parse(l.Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.True(times.Zip(times.Skip(1)).All(p => p.First <= p.Second), "the merged frames are in time order");
        Assert.Equal(["h1 port A", "h1 port B", "h2 port A", "h2 port B"], actual.Select(l => l.Split('\t')[1]).Distinct().Order(StringComparer.Ordinal));
        // Any box answers the same query over HTTP, with the same frames.
        var viaApi = _dir.File("via-api.pcapng");
        Assert.Equal(0, Run.Program("curl", "-sf", "-o", viaApi, "-H", $"Authorization: Bearer {File.ReadAllText(h2.TokenFile).Trim()}", $"{h2.Url}/api/fleet/packets?vm={Vm}&from={from}&to={to}").ExitCode);
        Assert.Equal(actual, Tshark.Fields(viaApi, "eth", "frame.time_epoch", "frame.interface_name", "frame.len", "eth.src", "ip.id"));
        Assert.All(Tshark.Fields(merged, "eth", "frame.interface_description").Distinct(), d => Assert.Matches("^box h[12]: simulated port [AB] .*; clock (NOT )?synchronised \\(.+, estimated error [0-9]+ µs\\)$", d));
    }

    [Fact]
    public void A_box_whose_answer_breaks_off_mid_query_is_named_and_the_others_frames_are_kept()
    {
        using var broker = new MosquittoBroker();
        using var fleet = MqttWatcher.Connect(broker.Port);
        using var h1 = new FleetBox(broker, "h1");
        fleet.WaitFor(h1.Topic("state"), s => s.GetProperty("online").GetBoolean(), "h1 online");
        var from = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 30;
        Thread.Sleep(1500);
        var to = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        // h9 dies while it answers: the first bytes of its capture (a section header, an interface, half a frame
        // block), then its connection closes. Played by a one-shot HTTP server, so the break comes at a known byte.
        var port = FreePort.Next();
        using var dying = Run.Start("/usr/bin/python3", ["-c", """
            import socket, struct, sys
            shb = struct.pack("<IIIHHq", 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1) + struct.pack("<I", 28)
            idb = struct.pack("<IIHHI", 1, 20, 1, 0, 0) + struct.pack("<I", 20)
            epb_start = struct.pack("<IIIII", 6, 92, 0, 0, 0)
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1)
            print("listening", flush=True)
            c, _ = s.accept(); c.recv(65536)
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-pcapng\r\nConnection: close\r\n\r\n" + shb + idb + epb_start)
            c.close()
            """, $"{port}"]);
        Assert.Equal("listening", dying.StandardOutput.ReadLine());
        using (var h9 = MqttWatcher.Connect(broker.Port))
        {
            h9.Publish("virtcapture/lab/h9/state", $$"""{"online":true,"box":"h9","managementUrl":"http://127.0.0.1:{{port}}","time":"{{DateTimeOffset.UtcNow:O}}"}""", retain: true);
        }

        var merged = _dir.File("merged.pcapng");
        var run = Firmware.Run("fleet", "packets", "--filter", "udp", "--from", $"{from}", "--to", $"{to}", "-w", merged, "--token-file", h1.TokenFile, "--broker", broker.Url, "--site", "lab");
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("from 1 of 2 boxes; missing: h9: its answer broke off: box h9: its answer breaks off inside a block", run.StdErr, StringComparison.Ordinal);
        Tshark.AssertReadsCleanly(merged);
        Assert.Contains("VirtCapture fleet: box h9 is missing from this capture: its answer broke off", string.Join('\n', Tshark.Fields(merged, "frame.comment", "frame.comment")), StringComparison.Ordinal);
        var own = _dir.File("h1.pcapng");
        Assert.Equal(0, Run.Program("curl", "-sf", "-o", own, "-H", $"Authorization: Bearer {File.ReadAllText(h1.TokenFile).Trim()}", $"{h1.Url}/api/packets?from={from}&to={to}&filter=udp").ExitCode);
        Assert.True(Tshark.Count(own) > 10, "h1 answered frames");
        Assert.Equal(Tshark.Count(own), Tshark.Count(merged, "udp"));
    }

    [Fact]
    public void The_web_page_follows_a_vm_and_shows_where_it_is_and_has_been()
    {
        const string Vm = "00:50:56:9a:10:02";
        using var broker = new MosquittoBroker();
        using var fleet = MqttWatcher.Connect(broker.Port);
        var onH1 = _dir.File("on-h1.pcap");
        Scapy(onH1, $"""[Ether(src="{Vm}", dst="00:50:56:9a:20:01") / IP(src="10.10.0.12", dst="10.10.0.1") / UDP(dport=2000) / Raw(b"x" * 40) for i in range(5)]""");
        using var h1 = new FleetBox(broker, "h1", replay: onH1);
        fleet.WaitFor(h1.Topic("state"), s => s.GetProperty("online").GetBoolean(), "h1 online");

        var seen = Page(h1, Vm, "h1");
        Assert.Equal("mac: a VM's MAC address, got 'not-a-mac'", seen.GetProperty("followError").GetString());
        Assert.Contains("this box h1, broker connected", seen.GetProperty("site").GetString(), StringComparison.Ordinal);
        // The page's follow is the site's retained follow message (its payload the MAC).
        var published = Stopwatch.StartNew();
        while (!fleet.On($"virtcapture/lab/follow/{Vm}").Contains(Vm) && published.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(50);
        }

        Assert.Contains(Vm, fleet.On($"virtcapture/lab/follow/{Vm}"));

        var rarp = _dir.File("rarp.pcap");
        Scapy(rarp, $"""[Ether(src="{Vm}", dst="ff:ff:ff:ff:ff:ff", type=0x8035) / ARP(op=3, hwsrc="{Vm}", hwdst="{Vm}", psrc="0.0.0.0", pdst="0.0.0.0")]""");
        using var h2 = new FleetBox(broker, "h2", replay: rarp, token: h1.TokenFile);
        var moved = Page(h1, Vm, "h2");
        var row = moved.GetProperty("followed").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetString()!).ToArray()).Single(r => r[0] == Vm);
        Assert.Equal(["h2 port if0", "RARP", "h1 → h2"], [row[1], row[3], row[4]]);
        Assert.Equal(["h1", "h2"], moved.GetProperty("boxes").EnumerateArray().Select(b => b[0].GetString()!));
    }

    [Fact]
    public void A_vm_scoped_box_adds_a_followed_vm_to_its_kernel_filter_within_a_second()
    {
        const string Vm = "00:50:56:9a:10:02";
        using var broker = new MosquittoBroker();
        using var fleet = MqttWatcher.Connect(broker.Port);
        using var h1 = new FleetBox(broker, "h1", settings: ["--Capture:Vms:0=00:50:56:9a:10:01"]);
        fleet.WaitFor(h1.Topic("state"), s => s.GetProperty("online").GetBoolean() && s.GetProperty("state").GetString() == "capturing", "h1 capturing one VM");
        Assert.Equal(0, Firmware.Run("fleet", "follow", Vm, "--broker", broker.Url, "--site", "lab").ExitCode);
        var followed = Stopwatch.StartNew();
        fleet.WaitFor(h1.Topic("events"), e => e.GetProperty("kind").GetString() == "seen" && e.GetProperty("mac").GetString() == Vm, "h1 records the followed VM too");
        Assert.True(followed.Elapsed < TimeSpan.FromSeconds(5), $"seen {followed.Elapsed.TotalSeconds:F1} s after the follow");
        var config = Run.Program("curl", "-sf", "-H", $"Authorization: Bearer {File.ReadAllText(h1.TokenFile).Trim()}", $"{h1.Url}/api/config");
        var vms = JsonDocument.Parse(config.StdOut).RootElement.GetProperty("capture").GetProperty("vms").EnumerateArray().Select(v => v.GetString()!).ToArray();
        Assert.Equal(["00:50:56:9a:10:01", Vm], vms);
    }

    private static JsonElement Page(FleetBox box, string mac, string wantBox)
    {
        var script = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../web/fleet-check.mjs"));
        var run = Run.Program("node", [script, box.Url, File.ReadAllText(box.TokenFile).Trim(), mac, wantBox], TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, run.StdErr);
        var seen = JsonDocument.Parse(run.Lines.Last()).RootElement.Clone();
        Assert.False(seen.TryGetProperty("error", out var error), $"in the browser: {error}");
        return seen;
    }

    // The line without its field number `field` (the interface name, which the merge renames).
    private static string Drop(string line, int field) => string.Join('\t', line.Split('\t').Where((_, i) => i != field));
}
