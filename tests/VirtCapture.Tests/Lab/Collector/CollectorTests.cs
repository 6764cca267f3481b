using System.Diagnostics;

namespace VirtCapture.Tests.Lab.Collector;

/// <summary>
/// The box as the far end of a mirror session, with a real sender: the kernel's own VXLAN device in the "hypervisor"
/// (the lab's host namespace) sends to the collector's address on port A. The frames it carries are recorded per
/// session, and the box never answers the mirrored traffic (tcpdump on the hypervisor's side proves it).
/// </summary>
public sealed class CollectorTests : IDisposable
{
    private readonly LabNetwork _lab = new();

    public void Dispose() => _lab.Dispose();

    [RootFact]
    public void A_kernel_vxlan_mirror_is_recorded_as_its_session_and_never_answered()
    {
        Host("ip", "link", "add", "vx0", "type", "vxlan", "id", "5001", "remote", "192.0.2.10", "local", "192.0.2.1", "dstport", "4789", "dev", "host0");
        Host("ip", "addr", "add", "172.16.0.1/24", "dev", "vx0");
        Host("ip", "link", "set", "vx0", "up");
        Host("ip", "neigh", "replace", "172.16.0.2", "lladdr", "02:00:00:00:99:02", "dev", "vx0", "nud", "permanent");
        // A second session from the same hypervisor that the configuration does not list.
        Host("ip", "link", "add", "vx1", "type", "vxlan", "id", "5002", "remote", "192.0.2.10", "local", "192.0.2.1", "dstport", "4789", "dev", "host0");
        Host("ip", "addr", "add", "172.17.0.1/24", "dev", "vx1");
        Host("ip", "link", "set", "vx1", "up");
        Host("ip", "neigh", "replace", "172.17.0.2", "lladdr", "02:00:00:00:99:03", "dev", "vx1", "nud", "permanent");

        using var firmware = _lab.StartFirmware("AfPacket", "--Capture:Mode=Monitor", "--Capture:Collector:Port=A",
            "--Capture:Collector:Address=192.0.2.10/24", "--Capture:Collector:Sessions:0=vxlan-5001@192.0.2.1");
        firmware.WaitFor("Capture started");
        Assert.Contains("192.0.2.10/24", _lab.Exec("box", "ip", "-br", "addr", "show", "a0").StdOut, StringComparison.Ordinal);

        // Whatever ICMP the box would send back to the hypervisor (port unreachable for VXLAN without a listener).
        var icmp = Path.Combine(_lab.Captures, "..", $"{_lab.Name}-icmp.pcap");
        using var tcpdump = Run.Start("ip", ["netns", "exec", $"{_lab.Name}-host", "tcpdump", "-i", "host0", "-n", "-U", "-w", icmp, "icmp and src host 192.0.2.10"]);
        Thread.Sleep(500);
        // No replies come (172.16.0.2 is only a neighbour entry): exactly 20 echo requests go into the tunnel.
        _lab.Exec("host", "ping", "-c", "20", "-i", "0.05", "-W", "1", "172.16.0.2");
        _lab.Exec("host", "ping", "-c", "3", "-i", "0.05", "-W", "1", "172.17.0.2");
        Thread.Sleep(1000);
        Assert.Contains("Mirror session vxlan-5002@192.0.2.1 (VXLAN VNI 5002 from 192.0.2.1) arrives at the collector but is not in Capture:Collector:Sessions", firmware.Output, StringComparison.Ordinal);
        using (var status = System.Text.Json.JsonDocument.Parse(_lab.Api("GET", "/api/status")))
        {
            var collector = status.RootElement.GetProperty("collector");
            // The 3 echo requests into VNI 5002, and whatever IPv6 neighbour discovery its device sent on coming up.
            Assert.InRange(collector.GetProperty("unlisted").GetInt64(), 3, 50);
            Assert.Equal(0, collector.GetProperty("malformed").GetInt64());
            var session = Assert.Single(status.RootElement.GetProperty("ports").EnumerateArray());
            Assert.Equal("vxlan-5001@192.0.2.1", session.GetProperty("name").GetString());
            Assert.InRange(session.GetProperty("counters").GetProperty("received").GetInt64(), 20, 70);
        }

        Assert.Matches("virtcapture_collector_frames\\{kind=\"unlisted\"\\} [1-9][0-9]*", _lab.Api("GET", "/metrics"));
        Stop(tcpdump);

        // The start request picks the sessions: the capture goes on in a new file with VNI 5002 only.
        Assert.Contains("not KIND-ID@SOURCE", _lab.Api("POST", "/api/capture/start", "{\"sessions\":[\"vxlan-5002\"]}"), StringComparison.Ordinal);
        Assert.Contains("\"capturing\"", _lab.Api("POST", "/api/capture/start", "{\"sessions\":[\"vxlan-5002@192.0.2.1\"]}"), StringComparison.Ordinal);
        _lab.Exec("host", "ping", "-c", "4", "-i", "0.05", "-W", "1", "172.17.0.2");
        Thread.Sleep(800);
        firmware.Stop();
        var files = _lab.Files();
        Assert.Equal(2, files.Length);
        Assert.Equal(["VXLAN VNI 5002 from 192.0.2.1"], Tshark.Fields(files[1], null, "frame.interface_description").Distinct());
        Assert.Equal(4, Tshark.Count(files[1], "icmp.type == 8 and ip.dst == 172.17.0.2"));

        var file = files[0];
        Tshark.AssertReadsCleanly(file);
        Assert.Equal(["VXLAN VNI 5001 from 192.0.2.1"], Tshark.Fields(file, null, "frame.interface_description").Distinct());
        Assert.Equal(20, Tshark.Count(file, "icmp.type == 8 and ip.src == 172.16.0.1 and ip.dst == 172.16.0.2"));
        Assert.Equal(0, Tshark.Count(file, "vxlan"));
        Assert.True(File.Exists(icmp), "tcpdump wrote its file");
        Assert.Equal(0, Tshark.Count(icmp));
        File.Delete(icmp);
    }

    [RootFact]
    public void A_session_from_any_sender_follows_its_vm_to_another_host_and_says_so()
    {
        // Two "hosts" on the hypervisor side: 192.0.2.1 and 192.0.2.3 send the same VNI in turn, as a mirror session
        // does when vMotion moves its VM.
        Host("ip", "addr", "add", "192.0.2.3/24", "dev", "host0");
        Vxlan("192.0.2.1");
        using var firmware = _lab.StartFirmware("AfPacket", "--Capture:Mode=Monitor", "--Capture:Collector:Port=A",
            "--Capture:Collector:Address=192.0.2.10/24", "--Capture:Collector:Sessions:0=vxlan-5001@any");
        firmware.WaitFor("Capture started");
        _lab.Exec("host", "ping", "-c", "10", "-i", "0.05", "-W", "1", "172.16.0.2");
        Host("ip", "link", "del", "vx0");
        Vxlan("192.0.2.3");
        _lab.Exec("host", "ping", "-c", "10", "-i", "0.05", "-W", "1", "172.16.0.2");
        Thread.Sleep(1000);
        firmware.Stop();

        var file = Assert.Single(_lab.Files());
        Assert.Equal(20, Tshark.Count(file, "icmp.type == 8 and frame.interface_description == \"VXLAN VNI 5001 from any sender\""));
        Assert.Equal(["VXLAN VNI 5001 now from 192.0.2.3, was 192.0.2.1"], Tshark.Fields(file, "frame.comment contains \"now from\"", "frame.comment"));
        Assert.Contains("Mirror session moved: VXLAN VNI 5001 now from 192.0.2.3, was 192.0.2.1", firmware.Output, StringComparison.Ordinal);
    }

    [RootFact]
    public void Erspan_gre_vxlan_and_geneve_from_scapy_are_recorded_live_per_session()
    {
        // The offline test's traffic (Scapy), sent onto port A's wire: its outer destination is the collector's address.
        var raw = Path.Combine(_lab.Captures, "..", $"{_lab.Name}-mirror.pcap");
        var script = Path.Combine(AppContext.BaseDirectory, "Integration", "Collector", "mirror-traffic.py");
        Assert.Equal(0, Run.Program("/usr/bin/python3", script, raw).ExitCode);
        using var firmware = _lab.StartFirmware("AfPacket", "--Capture:Mode=Monitor", "--Capture:Collector:Port=A",
            "--Capture:Collector:Address=192.0.2.10/24", "--Capture:Collector:Sessions:0=erspan3-12@10.0.0.6",
            "--Capture:Collector:Sessions:1=gre-77@10.0.0.7", "--Capture:Collector:Sessions:2=vxlan-5001@10.0.0.8",
            "--Capture:Collector:Sessions:3=geneve-6001@10.0.0.9");
        firmware.WaitFor("Capture started");
        var send = _lab.Exec("host", "/usr/bin/python3", "-c", $"from scapy.all import rdpcap, sendp; sendp(rdpcap('{raw}'), iface='host0', verbose=False)");
        Assert.True(send.ExitCode == 0, send.StdErr);
        Thread.Sleep(1000);
        Dictionary<string, long> sessionBytes;
        using (var status = System.Text.Json.JsonDocument.Parse(_lab.Api("GET", "/api/status")))
        {
            var collector = status.RootElement.GetProperty("collector");
            // The kernel filter keeps only GRE, VXLAN and Geneve to 192.0.2.10: the IPv6 sessions and the TCP, ICMP and
            // DNS frames never reach user space. Of the rest, ERSPAN I and II and keyless GRE are not listed (8 frames),
            // and the cut ERSPAN II header and the Geneve carrying IPv4 are malformed.
            Assert.Equal(8, collector.GetProperty("unlisted").GetInt64());
            Assert.Equal(2, collector.GetProperty("malformed").GetInt64());
            // Each listed session with its own counters; the Geneve frame that carries IPv4 is its session's.
            var listed = collector.GetProperty("sessions").EnumerateArray().ToDictionary(s => s.GetProperty("interface").GetString()!);
            Assert.Equal(["erspan3-12@10.0.0.6", "gre-77@10.0.0.7", "vxlan-5001@10.0.0.8", "geneve-6001@10.0.0.9"], listed.Keys);
            Assert.All(listed.Values, s => Assert.Equal(3, s.GetProperty("frames").GetInt64()));
            Assert.Equal(1, listed["geneve-6001@10.0.0.9"].GetProperty("malformed").GetInt64());
            sessionBytes = listed.ToDictionary(s => s.Value.GetProperty("description").GetString()!, s => s.Value.GetProperty("bytes").GetInt64());
        }

        // The web page shows each session with its counters (headless Chromium in the box's namespace).
        var pageCheck = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../web/sessions-check.mjs"));
        var page = _lab.Exec("box", "node", pageCheck, $"http://127.0.0.1:{_lab.ApiPort}", File.ReadAllText(_lab.TokenFile).Trim());
        Assert.True(page.ExitCode == 0, page.StdErr);
        using (var seen = System.Text.Json.JsonDocument.Parse(page.StdOut.Trim().Split('\n')[^1]))
        {
            Assert.False(seen.RootElement.TryGetProperty("error", out var error), $"in the browser: {error}");
            Assert.True(seen.RootElement.GetProperty("visible").GetBoolean());
            var rows = seen.RootElement.GetProperty("sessions").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetString()!).ToArray()).ToArray();
            Assert.Equal(["erspan3-12@10.0.0.6", "gre-77@10.0.0.7", "vxlan-5001@10.0.0.8", "geneve-6001@10.0.0.9"], rows.Select(r => r[0]));
            Assert.All(rows, r => Assert.Equal("3", r[2]));
            Assert.Equal("1", rows[3][6]);
            Assert.Contains("8 of unlisted sessions", seen.RootElement.GetProperty("totals").GetString(), StringComparison.Ordinal);
        }

        var metrics = _lab.Api("GET", "/metrics");
        Assert.Contains("virtcapture_collector_session_frames{session=\"geneve-6001@10.0.0.9\",kind=\"malformed\"} 1", metrics, StringComparison.Ordinal);

        firmware.Stop();
        File.Delete(raw);
        var file = Assert.Single(_lab.Files());
        Tshark.AssertReadsCleanly(file);
        var sessions = Tshark.Fields(file, "udp.dstport == 2000", "frame.interface_description");
        Assert.Equal(["ERSPAN III session 12 from 10.0.0.6 (times: the switch's IEEE 1588 clock where it sends one, else arrival at the box)", "GRE (Ethernet) key 77 from 10.0.0.7", "VXLAN VNI 5001 from 10.0.0.8", "Geneve VNI 6001 from 10.0.0.9"], sessions.Distinct());
        Assert.All(sessions.GroupBy(s => s), g => Assert.Equal(3, g.Count()));
        // The bytes the status counted are the bytes the file holds per session.
        Assert.All(sessionBytes, s => Assert.Equal(s.Value, Tshark.Fields(file, $"frame.interface_description == \"{s.Key}\"", "frame.cap_len").Sum(long.Parse)));
        // ERSPAN III's D bit: ingress, egress, ingress.
        Assert.Equal(["0x00000001", "0x00000002", "0x00000001"], Tshark.Fields(file, "frame.interface_description contains \"ERSPAN\"", "frame.packet_flags_direction"));
    }

    [RootFact]
    public void With_no_session_listed_each_one_becomes_an_interface_as_it_arrives_in_every_file_and_every_reader()
    {
        var raw = Path.Combine(_lab.Captures, "..", $"{_lab.Name}-mirror.pcap");
        var script = Path.Combine(AppContext.BaseDirectory, "Integration", "Collector", "mirror-traffic.py");
        Assert.Equal(0, Run.Program("/usr/bin/python3", script, raw).ExitCode);
        using var firmware = _lab.StartFirmware("AfPacket", "--Capture:Mode=Monitor", "--Capture:Collector:Port=A",
            "--Capture:Collector:Address=192.0.2.10/24", "--Storage:FileDurationSeconds=1");
        firmware.WaitFor("Capture started");
        var from = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
        // A live stream open from before the first session: it declares each one as it comes too. The capture starts
        // before the management port listens: wait for the port first.
        var listening = Stopwatch.StartNew();
        while (_lab.Exec("box", "curl", "-sf", "-o", "/dev/null", $"http://127.0.0.1:{_lab.ApiPort}/health").ExitCode != 0 && listening.Elapsed < TimeSpan.FromSeconds(15))
        {
            Thread.Sleep(100);
        }

        var live = Path.Combine(_lab.Captures, "..", _lab.Name + "-live.pcapng");
        using var stream = Run.Start("ip", ["netns", "exec", $"{_lab.Name}-box", "curl", "-sN", "--max-time", "12", "-o", live, "-H", $"Authorization: Bearer {File.ReadAllText(_lab.TokenFile).Trim()}", $"http://127.0.0.1:{_lab.ApiPort}/api/live"]);
        // The stream's section header comes as soon as the box has taken the client on: from then on it sees everything.
        var subscribed = Stopwatch.StartNew();
        while (!(File.Exists(live) && new FileInfo(live).Length > 0) && subscribed.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(50);
        }

        // The same traffic twice, a rotation apart: the first file declares each session as it arrives (after frames
        // of the others), the next files declare them all in their headers, in the order found.
        for (var round = 0; round < 2; round++)
        {
            var send = _lab.Exec("host", "/usr/bin/python3", "-c", $"from scapy.all import rdpcap, sendp; sendp(rdpcap('{raw}'), iface='host0', verbose=False)");
            Assert.True(send.ExitCode == 0, send.StdErr);
            Thread.Sleep(2200);
        }

        Assert.True(stream.WaitForExit(20_000), "the live stream ends at curl's --max-time");

        var window = _lab.Name + "-window.pcapng";
        _lab.Download($"/api/packets?from={from}&to={DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1}", Path.Combine(_lab.Captures, "..", window));
        firmware.Stop();
        File.Delete(raw);

        // Past the kernel filter: ERSPAN III 12, GRE key 77, VXLAN 5001 and Geneve 6001 (3 frames each), ERSPAN I,
        // ERSPAN II 7 (3, one of them cut) and keyless GRE: seven sessions, found in the order the traffic has them.
        // The ERSPAN III session's timestamps are a 100 ns counter, not a clock: its frames carry their arrival time.
        string[] found = ["ERSPAN I from 10.0.0.5", "ERSPAN II session 7 from 10.0.0.5", "ERSPAN III session 12 from 10.0.0.6 (times: arrival at the box)", "GRE (Ethernet) key 77 from 10.0.0.7", "GRE (Ethernet) from 10.0.0.7", "VXLAN VNI 5001 from 10.0.0.8", "Geneve VNI 6001 from 10.0.0.9"];
        var files = _lab.Files().Where(f => Tshark.Count(f) > 0).ToArray();
        Assert.InRange(files.Length, 2, 4);
        var numbering = new HashSet<string>();
        foreach (var file in files)
        {
            Tshark.AssertReadsCleanly(file);
            numbering.UnionWith(Tshark.Fields(file, null, "frame.interface_id", "frame.interface_description"));
        }

        // Every session's frames, both rounds, under one interface number in every file.
        var perSession = files.SelectMany(f => Tshark.Fields(f, "udp.dstport == 2000", "frame.interface_description")).GroupBy(d => d).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([.. found.Order(StringComparer.Ordinal)], perSession.Keys.Order(StringComparer.Ordinal));
        // Three frames a round each, but two of keyless GRE.
        Assert.Equal([6, 6, 6, 6, 4, 6, 6], found.Select(f => perSession[f]));
        Assert.Equal(found.Select((f, i) => $"{i}\t{f}").Order(StringComparer.Ordinal), numbering.Order(StringComparer.Ordinal));
        // A file of the first round declares sessions after frames of others; the last, opened after the first round,
        // declares all seven in its header.
        Assert.Contains(files, f => LateInterfaces(f) > 0);
        Assert.Equal((7, 0), (InterfacesBeforeFirstFrame(files[^1]), LateInterfaces(files[^1])));
        for (var i = 0; i < found.Length; i++)
        {
            Assert.Contains($"found: recorded as interface {i}", firmware.Output, StringComparison.Ordinal);
        }

        // Our own reader (replay) and the time-window extract read the late declarations too.
        var copy = Path.Combine(_lab.Captures, "..", _lab.Name + "-copy.pcapng");
        var replay = Firmware.Run("capture", "-r", files[0], "-w", copy);
        Assert.True(replay.ExitCode == 0, replay.StdErr);
        Assert.Equal(Tshark.Fields(files[0], null, "frame.interface_description", "frame.len"), Tshark.Fields(copy, null, "frame.interface_description", "frame.len"));
        var extract = Path.Combine(_lab.Captures, "..", window);
        Tshark.AssertReadsCleanly(extract);
        Assert.Equal(files.Sum(f => Tshark.Count(f, "udp.dstport == 2000")), Tshark.Count(extract, "udp.dstport == 2000"));
        Assert.Equal([.. found.Order(StringComparer.Ordinal)], Tshark.Fields(extract, null, "frame.interface_description").Distinct().Order(StringComparer.Ordinal));
        File.Delete(copy);
        File.Delete(extract);

        // The live stream (cut by curl's time limit, perhaps inside a block: tshark reads what precedes the cut).
        var streamed = Run.Program("tshark", "-r", live, "-Y", "udp.dstport == 2000", "-T", "fields", "-e", "frame.interface_description");
        var streamedSessions = streamed.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([.. found.Order(StringComparer.Ordinal)], streamedSessions.Distinct().Order(StringComparer.Ordinal));
        Assert.InRange(streamedSessions.Length, 22, 44);
        File.Delete(live);
    }

    [RootFact]
    public void Fragmented_mirror_traffic_passes_the_kernel_filter_and_is_reassembled_live()
    {
        var whole = Path.Combine(_lab.Captures, "..", $"{_lab.Name}-whole.pcap");
        var fragmented = Path.Combine(_lab.Captures, "..", $"{_lab.Name}-fragmented.pcap");
        var script = Path.Combine(AppContext.BaseDirectory, "Integration", "Collector", "fragmented-mirror.py");
        Assert.Equal(0, Run.Program("/usr/bin/python3", script, whole, fragmented).ExitCode);
        using var firmware = _lab.StartFirmware("AfPacket", "--Capture:Mode=Monitor", "--Capture:Collector:Port=A", "--Capture:Collector:Address=192.0.2.10/24");
        firmware.WaitFor("Capture started");
        var send = _lab.Exec("host", "/usr/bin/python3", "-c", $"from scapy.all import rdpcap, sendp; sendp(rdpcap('{fragmented}'), iface='host0', verbose=False)");
        Assert.True(send.ExitCode == 0, send.StdErr);
        Thread.Sleep(1000);
        using (var status = System.Text.Json.JsonDocument.Parse(_lab.Api("GET", "/api/status")))
        {
            var collector = status.RootElement.GetProperty("collector");
            Assert.Equal(14, collector.GetProperty("fragments").GetInt64());
            Assert.Equal(4, collector.GetProperty("reassembled").GetInt64());
        }

        firmware.Stop();
        File.Delete(whole);
        File.Delete(fragmented);
        var file = Assert.Single(_lab.Files());
        Tshark.AssertReadsCleanly(file);
        // The four whole datagrams' full-size frames, and the unfragmented one after them.
        Assert.Equal(["1408", "1408", "1408", "1408", "1408"], Tshark.Fields(file, "udp.dstport == 2000", "udp.length"));
    }

    [RootFact]
    public void The_management_port_can_be_the_collector_and_keeps_its_own_addresses()
    {
        // A management link of its own between the hypervisor and the box: 198.51.100.10 is the box's address on it.
        Run.Program("ip", "link", "add", "m0h", "netns", $"{_lab.Name}-host", "type", "veth", "peer", "name", "m0", "netns", $"{_lab.Name}-box");
        Host("ip", "addr", "add", "198.51.100.1/24", "dev", "m0h");
        Host("ip", "link", "set", "m0h", "up");
        Assert.Equal(0, _lab.Exec("box", "ip", "addr", "add", "198.51.100.10/24", "dev", "m0").ExitCode);
        Assert.Equal(0, _lab.Exec("box", "ip", "link", "set", "m0", "up").ExitCode);
        Host("ip", "link", "add", "vx0", "type", "vxlan", "id", "5001", "remote", "198.51.100.10", "local", "198.51.100.1", "dstport", "4789", "dev", "m0h");
        Host("ip", "addr", "add", "172.16.0.1/24", "dev", "vx0");
        Host("ip", "link", "set", "vx0", "up");
        Host("ip", "neigh", "replace", "172.16.0.2", "lladdr", "02:00:00:00:99:02", "dev", "vx0", "nud", "permanent");

        // An address the port does not have is refused in one line: the box never changes the management port.
        using (var wrong = _lab.StartFirmware("AfPacket", "--Capture:Mode=Monitor", "--Capture:Collector:Port=MGMT", "--Capture:Collector:Interface=m0", "--Capture:Collector:Address=198.51.100.99/24"))
        {
            wrong.WaitFor("Capture cannot start");
            Assert.Contains("Capture:Collector:Address 198.51.100.99 is not on the management port m0 (it has 198.51.100.10", wrong.Output, StringComparison.Ordinal);
        }

        using var firmware = _lab.StartFirmware("AfPacket", "--Capture:Mode=Monitor", "--Capture:Collector:Port=MGMT", "--Capture:Collector:Interface=m0", "--Capture:Collector:Address=198.51.100.10/24");
        firmware.WaitFor("Capture started");
        _lab.Exec("host", "ping", "-c", "10", "-i", "0.05", "-W", "1", "172.16.0.2");
        Thread.Sleep(800);
        firmware.Stop();

        var file = Assert.Single(_lab.Files());
        Assert.Equal(["VXLAN VNI 5001 from 198.51.100.1"], Tshark.Fields(file, null, "frame.interface_description").Distinct());
        Assert.Equal(10, Tshark.Count(file, "icmp.type == 8 and ip.src == 172.16.0.1"));
        // The management port is as it was: its one address, no other, still promiscuous-free of our settings.
        var addresses = _lab.Exec("box", "ip", "-o", "-4", "addr", "show", "dev", "m0").StdOut;
        Assert.Single(addresses.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("198.51.100.10/24", addresses, StringComparison.Ordinal);
    }

    private static int InterfacesBeforeFirstFrame(string file) =>
        PcapngBlockWalker.WholeBlocks(File.ReadAllBytes(file)).TakeWhile(b => b.Type != 6).Count(b => b.Type == 1);

    private static int LateInterfaces(string file) =>
        PcapngBlockWalker.WholeBlocks(File.ReadAllBytes(file)).SkipWhile(b => b.Type != 6).Count(b => b.Type == 1);

    private void Vxlan(string local)
    {
        Host("ip", "link", "add", "vx0", "type", "vxlan", "id", "5001", "remote", "192.0.2.10", "local", local, "dstport", "4789", "dev", "host0");
        Host("ip", "addr", "add", "172.16.0.1/24", "dev", "vx0");
        Host("ip", "link", "set", "vx0", "up");
        Host("ip", "neigh", "replace", "172.16.0.2", "lladdr", "02:00:00:00:99:02", "dev", "vx0", "nud", "permanent");
    }

    private void Host(params string[] command)
    {
        var result = _lab.Exec("host", command);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', command)}: {result.StdErr}");
    }

    private static void Stop(Process process)
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }
}
