using System.Globalization;
using System.Text.Json;

namespace VirtCapture.Tests.Integration.Collector;

/// <summary>
/// Offline decapsulation (<c>virtcapture capture -r RAW --decap</c>) against encoders and a decoder we did not write:
/// Scapy builds the mirror traffic of every encapsulation, tshark's own dissection of it is the oracle.
/// </summary>
public sealed class DecapsulationTests : IDisposable
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Integration", "Collector", "mirror-traffic.py");
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Each_session_is_an_interface_holding_exactly_the_inner_frames_tshark_finds()
    {
        var raw = _dir.File("raw.pcap");
        var generate = Run.Program("/usr/bin/python3", Script, raw);
        Assert.True(generate.ExitCode == 0, generate.StdErr);
        var expected = Oracle(raw);
        Assert.Equal(24, expected.Count);

        var output = _dir.File("sessions.pcapng");
        var run = Firmware.Run("capture", "-r", raw, "-w", output, "--decap");
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Contains("9 mirror sessions", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("3 frames not mirror traffic, 2 damaged", run.StdErr, StringComparison.Ordinal);
        Tshark.AssertReadsCleanly(output);

        var stored = Stored(output);
        Assert.Equal(expected.Select(e => e.Inner), stored.Select(s => s.Bytes));
        Assert.Equal(expected.Select(e => e.Session), stored.Select(s => s.Interface));
        Assert.Equal(9, stored.Select(s => s.Interface).Distinct().Count());
        // The ERSPAN II session's sequence skips two numbers: two frames lost before the box, reported as dropped.
        Assert.Contains("2 frames lost before the box (GRE sequence gaps)", run.StdErr, StringComparison.Ordinal);
        // Each session's own counters close its interface in the file: the bytes tshark finds in it, the two frames
        // lost by the ERSPAN II session, the Geneve session's frame that carries IPv4 (malformed).
        var comments = PcapngBlockWalker.StatisticsComments(output);
        var interfaces = Tshark.Fields(output, null, "frame.interface_id", "frame.interface_description", "frame.cap_len")
            .Select(line => line.Split('\t')).GroupBy(f => (Id: int.Parse(f[0], CultureInfo.InvariantCulture), Description: f[1]))
            .ToDictionary(g => g.Key.Description, g => (g.Key.Id, Bytes: g.Sum(f => long.Parse(f[2], CultureInfo.InvariantCulture))));
        Assert.Equal(9, interfaces.Count);
        Assert.All(interfaces.Values, i => Assert.StartsWith($"{i.Bytes} bytes mirrored, 0 truncated by the sender, ", comments[i.Id], StringComparison.Ordinal));
        Assert.Contains(", 2 lost before the box, 0 malformed,", comments[interfaces["ERSPAN II session 7 from 10.0.0.5"].Id], StringComparison.Ordinal);
        Assert.Contains(", 0 lost before the box, 1 malformed,", comments[interfaces["Geneve VNI 6001 from 10.0.0.9"].Id], StringComparison.Ordinal);
        Assert.Equal(7, interfaces.Count(i => comments[i.Value.Id].Contains(", 0 lost before the box, 0 malformed, 0 flagged", StringComparison.Ordinal)));

        // ERSPAN III says which way the frame went: ingress is inbound (1), egress outbound (2) in epb_flags.
        Assert.Equal(expected.Where(e => e.ErspanDirection is not null).Select(e => e.ErspanDirection == 0 ? "1" : "2"),
            stored.Where(s => s.Interface.StartsWith("ERSPAN III", StringComparison.Ordinal)).Select(s => Convert.ToUInt32(s.Direction, 16).ToString(CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Erspan_III_ieee_1588_timestamps_are_the_frame_times_and_counters_are_not()
    {
        // Scapy: two frames of a session whose switch stamps IEEE 1588 time (TAI seconds in the platform sub-header,
        // nanoseconds in the header), 0.4 s before they arrived; two of a session stamping a 100 ns counter.
        var raw = _dir.File("ptp.pcap");
        var script = """
            import sys
            from scapy.all import Ether, IP, UDP, GRE, Raw, wrpcap
            from scapy.contrib.erspan import ERSPAN_III, ERSPAN_PlatformSpecific
            frames = []
            for i in range(2):
                inner = Ether(src="00:50:56:9a:10:01", dst="00:50:56:9a:20:01") / IP(src="10.1.1.1", dst="10.1.1.2") / UDP(sport=1, dport=2000) / Raw(b"p" * 20)
                ptp = Ether() / IP(src="10.0.0.6", dst="192.0.2.10") / GRE(proto=0x22eb, seqnum_present=1, seqence_number=i) / ERSPAN_III(session_id=12, gra=2, o=1, timestamp=100000000 + i * 1000) / ERSPAN_PlatformSpecific(platf_id=7, info1=0, info2=1764000037) / inner
                ptp.time = 1764000000.5 + i * 0.001
                counter = Ether() / IP(src="10.0.0.7", dst="192.0.2.10") / GRE(proto=0x22eb, seqnum_present=1, seqence_number=i) / ERSPAN_III(session_id=13, gra=1, timestamp=5 + i) / inner
                counter.time = 1764000000.75 + i * 0.001
                frames += [ptp, counter]
            wrpcap(sys.argv[1], frames)
            """;
        var generate = Run.Program("/usr/bin/python3", "-c", script, raw);
        Assert.True(generate.ExitCode == 0, generate.StdErr);
        var output = _dir.File("ptp.pcapng");
        var run = Firmware.Run("capture", "-r", raw, "-w", output, "--decap");
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Equal(["1764000000.100000000", "1764000000.100001000"], Tshark.Fields(output, "frame.interface_name == \"erspan3-12@10.0.0.6\"", "frame.time_epoch"));
        Assert.Equal(["1764000000.750000000", "1764000000.751000000"], Tshark.Fields(output, "frame.interface_name == \"erspan3-13@10.0.0.7\"", "frame.time_epoch"));
    }

    [Fact]
    public void Outer_fragments_are_reassembled_in_any_order_and_a_datagram_missing_one_is_counted()
    {
        // Scapy: full-size frames mirrored over a 600-byte MTU (VXLAN, ERSPAN III, GRE), fragmented by Scapy's own
        // fragment(); one datagram's fragments arrive last-first, one datagram loses its middle fragment.
        var whole = _dir.File("whole.pcap");
        var fragmented = _dir.File("fragmented.pcap");
        var generate = Run.Program("/usr/bin/python3", Path.Combine(AppContext.BaseDirectory, "Integration", "Collector", "fragmented-mirror.py"), whole, fragmented);
        Assert.True(generate.ExitCode == 0, generate.StdErr);
        // tshark, reassembling on its own, finds the four whole datagrams' mirrored frames and the last one's.
        Assert.Equal(5, Tshark.Count(fragmented, "vxlan or erspan or gre.key"));

        var fromWhole = _dir.File("from-whole.pcapng");
        var fromFragments = _dir.File("from-fragments.pcapng");
        Assert.Equal(0, Firmware.Run("capture", "-r", whole, "-w", fromWhole, "--decap").ExitCode);
        var run = Firmware.Run("capture", "-r", fragmented, "-w", fromFragments, "--decap");
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Contains("14 outer IP fragments (4 datagrams reassembled, 1 given up)", run.StdErr, StringComparison.Ordinal);
        Tshark.AssertReadsCleanly(fromFragments);
        var stored = Stored(fromFragments);
        Assert.Equal(5, stored.Count);
        Assert.Equal(Stored(fromWhole).Select(s => (s.Bytes, s.Interface)), stored.Take(4).Select(s => (s.Bytes, s.Interface)));
        Assert.Equal(["1408"], Tshark.Fields(fromFragments, "ip.src == 10.1.1.9", "udp.length"));
    }

    [Fact]
    public void With_dedup_the_copy_of_each_frame_a_hop_later_is_counted_not_written()
    {
        // Scapy: one host's VXLAN mirror of two VMs talking, so each frame comes twice (leaving VM1, then reaching
        // VM2 a hop later: TTL and checksum differ), a real retransmission 50 ms later, and the same bytes in another VNI.
        var raw = _dir.File("twice.pcap");
        var script = """
            import sys
            from scapy.all import Ether, IP, UDP, Raw, wrpcap
            from scapy.layers.vxlan import VXLAN
            def mirror(vni, inner, t):
                p = Ether() / IP(src="10.0.0.8", dst="192.0.2.10") / UDP(sport=50000, dport=4789) / VXLAN(vni=vni) / inner
                p.time = t
                return p
            frames = []
            for i in range(10):
                inner = Ether(src="00:50:56:9a:10:01", dst="00:50:56:9a:20:01") / IP(src="10.1.1.1", dst="10.1.1.2", ttl=64, id=i) / UDP(sport=1, dport=2000) / Raw(b"d" * 40)
                hop = inner.copy()
                hop[IP].ttl = 63
                hop = Ether(bytes(hop.__class__(bytes(hop))))
                hop[IP].chksum = None
                hop = Ether(bytes(hop))
                frames += [mirror(5001, inner, 1764000000 + i * 0.01), mirror(5001, hop, 1764000000 + i * 0.01 + 0.0002)]
            frames.append(mirror(5001, frames[0][VXLAN].payload, 1764000000.05))
            frames.append(mirror(5002, frames[0][VXLAN].payload, 1764000000.0501))
            wrpcap(sys.argv[1], frames)
            """;
        var generate = Run.Program("/usr/bin/python3", "-c", script, raw);
        Assert.True(generate.ExitCode == 0, generate.StdErr);
        // tshark sees the hop's copy as a different packet: only its TTL and checksum differ from the first.
        Assert.Equal(10, Tshark.Count(raw, "vxlan and ip.ttl == 63"));

        var output = _dir.File("once.pcapng");
        var run = Firmware.Run("capture", "-r", raw, "-w", output, "--decap", "--dedup", "5");
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Contains("10 duplicates not written (--dedup 5)", run.StdErr, StringComparison.Ordinal);
        Assert.Equal(0, Tshark.Count(output, "ip.ttl == 63"));
        Assert.Equal(11, Tshark.Count(output, "frame.interface_name == \"vxlan-5001@10.0.0.8\""));
        Assert.Equal(1, Tshark.Count(output, "frame.interface_name == \"vxlan-5002@10.0.0.8\""));
        Assert.Contains(", 10 duplicates not recorded", PcapngBlockWalker.StatisticsComments(output)[0], StringComparison.Ordinal);

        // Without it, every copy is written.
        var all = _dir.File("all.pcapng");
        Assert.Equal(0, Firmware.Run("capture", "-r", raw, "-w", all, "--decap").ExitCode);
        Assert.Equal(22, Tshark.Count(all));
        Assert.Contains("--dedup applies to mirror sessions", Firmware.Run("capture", "-r", raw, "-w", all, "--dedup", "5").StdErr, StringComparison.Ordinal);
        Assert.Contains("--dedup must be between 0 (off) and 1000 ms, got 5000", Firmware.Run("capture", "-r", raw, "-w", all, "--decap", "--dedup", "5000").StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Session_picks_the_sessions_recorded_and_the_rest_are_counted()
    {
        var raw = _dir.File("raw.pcap");
        Assert.Equal(0, Run.Program("/usr/bin/python3", Script, raw).ExitCode);
        var output = _dir.File("two.pcapng");
        var run = Firmware.Run("capture", "-r", raw, "-w", output, "--decap", "--session", "vxlan-5001@10.0.0.8", "--session", "erspan2-7@any");
        Assert.True(run.ExitCode == 0, run.StdErr);
        // Interfaces in the order listed; the frames in the order they came.
        Assert.Equal(["1\tERSPAN II session 7 from any sender", "0\tVXLAN VNI 5001 from 10.0.0.8"], Tshark.Fields(output, null, "frame.interface_id", "frame.interface_description").Distinct());
        Assert.Equal(6, Tshark.Count(output));
        Assert.Contains("2 mirror sessions", run.StdErr, StringComparison.Ordinal);
        var wrong = Firmware.Run("capture", "-r", raw, "-w", output, "--decap", "--session", "vxlan-5001");
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("--session vxlan-5001: not KIND-ID@SOURCE", Assert.Single(wrong.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void The_capture_filter_applies_to_the_inner_frame()
    {
        var raw = _dir.File("raw.pcap");
        Assert.Equal(0, Run.Program("/usr/bin/python3", Script, raw).ExitCode);
        var output = _dir.File("one-vm.pcapng");
        // 10.1.1.18 is one VM's address inside a VXLAN session; the outer addresses are 10.0.0.x and 2001:db8::x.
        var run = Firmware.Run("capture", "-r", raw, "-w", output, "--decap", "-f", "src host 10.1.1.18");
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Equal(["10.1.1.18"], Tshark.Fields(output, null, "ip.src").Distinct());
        Assert.Equal(1, Tshark.Count(output));
    }

    [Fact]
    public void The_vm_inventory_sees_the_vms_inside_each_session()
    {
        var raw = _dir.File("raw.pcap");
        Assert.Equal(0, Run.Program("/usr/bin/python3", Script, raw).ExitCode);
        var run = Firmware.Run("inventory", "-r", raw, "--decap", "--json");
        Assert.True(run.ExitCode == 0, run.StdErr);
        using var inventory = JsonDocument.Parse(run.StdOut);
        var vms = inventory.RootElement.GetProperty("vms").EnumerateArray().ToDictionary(v => v.GetProperty("mac").GetString()!);
        // The 17th mirrored frame (VXLAN VNI 5001 from 10.0.0.8) came from VM 00:50:56:9a:10:10 at 10.1.1.17.
        var vm = vms["00:50:56:9a:10:10"];
        Assert.Equal("vxlan-5001@10.0.0.8", vm.GetProperty("port").GetString());
        Assert.Equal("VMware", vm.GetProperty("family").GetString());
        Assert.Equal(["10.1.1.17"], vm.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()));
        // No outer address is taken for a VM: the hypervisors' own MACs are not in the tunnels.
        Assert.DoesNotContain("02:00:00:00:00:01", vms.Keys);
    }

    [Fact]
    public void A_file_without_mirror_traffic_is_one_clear_line()
    {
        var plain = _dir.File("plain.pcap");
        Assert.Equal(0, Run.Program("/usr/bin/python3", Script, plain, "--plain").ExitCode);
        var run = Firmware.Run("capture", "-r", plain, "-w", _dir.File("none.pcapng"), "--decap");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no mirror traffic", run.StdErr, StringComparison.Ordinal);
        Assert.Single(run.ErrorLines);
    }

    /// <summary>tshark's view of each mirrored frame: the bytes from its inner Ethernet header on, and its session.</summary>
    private static List<(string Inner, string Session, int? ErspanDirection)> Oracle(string raw)
    {
        var json = Run.Program("tshark", "-r", raw, "-d", "udp.port==8472,vxlan", "-T", "json", "-x", "--no-duplicate-keys");
        Assert.True(json.ExitCode == 0, json.StdErr);
        var result = new List<(string, string, int?)>();
        foreach (var packet in JsonDocument.Parse(json.StdOut).RootElement.EnumerateArray())
        {
            var layers = packet.GetProperty("_source").GetProperty("layers");
            if (layers.GetProperty("eth_raw")[0].ValueKind != JsonValueKind.Array)
            {
                continue; // one Ethernet header only: nothing mirrored inside
            }

            var frame = layers.GetProperty("frame_raw")[0].GetString()!;
            var innerAt = layers.GetProperty("eth_raw")[1][1].GetInt32();
            // The outer IP layer is the first one: IPv4 or IPv6 as the frame's protocol chain says.
            var outerIpv6 = Field(layers.GetProperty("frame"), "frame.protocols").StartsWith("eth:ethertype:ipv6:", StringComparison.Ordinal);
            var source = outerIpv6 ? Field(First(layers.GetProperty("ipv6")), "ipv6.src") : Field(First(layers.GetProperty("ip")), "ip.src");
            string session;
            int? direction = null;
            if (layers.TryGetProperty("erspan", out var erspanLayer) && First(erspanLayer) is var erspan)
            {
                var version = TryField(erspan, "erspan.version") is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : 0;
                session = version switch
                {
                    0 => $"ERSPAN I from {source}",
                    1 => $"ERSPAN II session {Field(erspan, "erspan.spanid")} from {source}",
                    // Offline every session is known before its first frame: the description names both clocks.
                    _ => $"ERSPAN III session {Field(erspan, "erspan.spanid")} from {source} (times: the switch's IEEE 1588 clock where it sends one, else arrival at the box)",
                };
                if (version == 2)
                {
                    direction = int.Parse(Field(erspan, "erspan.direction"), CultureInfo.InvariantCulture);
                }
            }
            else if (layers.TryGetProperty("vxlan", out var vxlanLayer) && First(vxlanLayer) is var vxlan)
            {
                session = $"VXLAN VNI {Field(vxlan, "vxlan.vni")} from {source}";
            }
            else if (layers.TryGetProperty("geneve", out var geneveLayer) && First(geneveLayer) is var geneve)
            {
                session = $"Geneve VNI {Convert.ToUInt32(Field(geneve, "geneve.vni"), 16)} from {source}";
            }
            else
            {
                var gre = First(layers.GetProperty("gre"));
                session = TryField(gre, "gre.key") is { } key
                    ? $"GRE (Ethernet) key {Convert.ToUInt32(key, 16)} from {source}"
                    : $"GRE (Ethernet) from {source}";
            }

            result.Add((frame[(innerAt * 2)..], session, direction));
        }

        return result;
    }

    // With --no-duplicate-keys a protocol met twice (outer and inner) is an array of its layers.
    private static JsonElement First(JsonElement layer) => layer.ValueKind == JsonValueKind.Array ? layer[0] : layer;

    private static string Field(JsonElement layer, string name) =>
        TryField(layer, name) ?? throw new KeyNotFoundException($"{name} not in tshark's dissection");

    // A field may sit in a subtree (erspan's flags); the first found, depth first, outer layers before inner ones.
    private static string? TryField(JsonElement layer, string name)
    {
        switch (layer.ValueKind)
        {
            case JsonValueKind.Array:
                return layer.EnumerateArray().Select(item => TryField(item, name)).FirstOrDefault(f => f is not null);
            case JsonValueKind.Object:
                if (layer.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    return value.GetString();
                }

                return layer.EnumerateObject().Select(child => TryField(child.Value, name)).FirstOrDefault(f => f is not null);
            default:
                return null;
        }
    }

    private static List<(string Bytes, string Interface, string Direction)> Stored(string output)
    {
        var json = Run.Program("tshark", "-r", output, "-T", "json", "-x", "--no-duplicate-keys");
        Assert.True(json.ExitCode == 0, json.StdErr);
        var directions = Tshark.Fields(output, null, "frame.interface_description", "frame.packet_flags_direction");
        return [.. JsonDocument.Parse(json.StdOut).RootElement.EnumerateArray().Select((packet, i) =>
        {
            var fields = directions[i].Split('\t');
            return (packet.GetProperty("_source").GetProperty("layers").GetProperty("frame_raw")[0].GetString()!, fields[0], fields.Length > 1 ? fields[1] : string.Empty);
        })];
    }
}
