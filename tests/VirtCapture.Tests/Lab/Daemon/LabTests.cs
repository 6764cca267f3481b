using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Lab.Daemon;

/// <summary>The real firmware on real AF_PACKET sockets in the lab: host ─ a0 │ box │ b0 ─ switch.</summary>
public sealed class LabTests : IDisposable
{
    private const string FromHost = """
        { eth(da=02:00:00:00:0b:01, sa=02:00:00:00:0a:01), ipv4(sa=192.0.2.1, da=192.0.2.2), udp(sp=5000, dp=5001), fill(0x41, 100) }
        """;

    private const string FromSwitch = """
        { eth(da=02:00:00:00:0a:01, sa=02:00:00:00:0b:01), ipv4(sa=192.0.2.2, da=192.0.2.1), udp(sp=5001, dp=5000), fill(0x42, 300) }
        """;

    private readonly LabNetwork _lab = new();

    public void Dispose() => _lab.Dispose();

    [RootFact]
    public void Forwarding_works_while_capturing_after_a_stop_and_after_kill_9()
    {
        using (var firmware = _lab.StartFirmware())
        {
            firmware.WaitFor("Capture started");
            AssertForwarding("while capturing");
            firmware.Stop();
        }

        AssertForwarding("after the firmware stopped");

        using (var firmware = _lab.StartFirmware())
        {
            firmware.WaitFor("Capture started");
            firmware.KillHard();
        }

        AssertForwarding("after kill -9");
    }

    [RootTheory]
    [InlineData("AfPacket")]
    [InlineData("Libpcap")]
    public async Task A_burst_each_way_is_recorded_exactly_once_with_its_port_and_direction(string backend)
    {
        using var firmware = _lab.StartFirmware(backend);
        firmware.WaitFor("Capture started");
        var host = Task.Run(() => _lab.Send("host", FromHost, 500, "2ms"));
        var sw = Task.Run(() => _lab.Send("switch", FromSwitch, 400, "2ms"));
        await Task.WhenAll(host, sw);
        Thread.Sleep(500);
        firmware.Stop();

        var file = Assert.Single(_lab.Files());
        Tshark.AssertReadsCleanly(file);
        var frames = Tshark.Fields(file, "udp.port == 5001", "frame.interface_name", "eth.src", "frame.packet_flags_direction", "frame.len");
        Assert.Equal(500, frames.Count(f => f == "A\t02:00:00:00:0a:01\t0x00000001\t142"));
        Assert.Equal(400, frames.Count(f => f == "B\t02:00:00:00:0b:01\t0x00000001\t342"));
        Assert.Equal(900, frames.Length);
        Assert.Contains("Port A: received", firmware.Output, StringComparison.Ordinal);
        Assert.Contains("kernel dropped 0", firmware.Output, StringComparison.Ordinal);

        // Frames in time order across both ports (the merge); event comments carry the time they were noticed.
        var rows = Tshark.Fields(file, "not frame.comment", "frame.time_epoch", "frame.interface_name", "eth.src", "eth.type", "frame.number");
        var times = rows.Select(r => decimal.Parse(r.Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var late = Enumerable.Range(1, times.Length - 1).Where(i => times[i] < times[i - 1]).Select(i => $"{rows[i - 1]}  then  {rows[i]}");
        Assert.True(times.SequenceEqual(times.Order()), "frames out of time order: " + string.Join(" | ", late));
    }

    [RootFact]
    public void The_kernel_filter_keeps_only_matching_frames_and_user_space_never_sees_the_rest()
    {
        using var firmware = _lab.StartFirmware("AfPacket", "--Capture:Filter=vlan 20 and udp port 4789");
        firmware.WaitFor("Capture started");
        _lab.Send("host", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "../../../../../hardware/lab/traffic/vms.cfg")), 60, "2ms");
        _lab.Send("host", FromHost, 50);
        Thread.Sleep(300);
        firmware.Stop();

        var file = Assert.Single(_lab.Files());
        var frames = Tshark.Fields(file, "not frame.comment", "eth.src", "vlan.id");
        Assert.Equal(20, frames.Length);
        Assert.All(frames, f => Assert.StartsWith("00:50:56:9a:10:01", f, StringComparison.Ordinal));
        Assert.All(frames, f => Assert.EndsWith("\t20", f, StringComparison.Ordinal));
        // 130 frames crossed port A; the kernel counted as received only the 20 that matched.
        Assert.Contains("Port A: received 20, kernel dropped 0, filtered out 0, accepted 20, buffer dropped 0, written 20", firmware.Output, StringComparison.Ordinal);
    }

    [RootFact]
    public void Snaplen_cuts_frames_and_VLAN_tags_stay_in_the_recording()
    {
        using var firmware = _lab.StartFirmware("AfPacket", "--Capture:Snaplen=64");
        firmware.WaitFor("Capture started");
        _lab.Send("host", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "../../../../../hardware/lab/traffic/vms.cfg")), 30, "2ms");
        Thread.Sleep(300);
        firmware.Stop();

        var file = Assert.Single(_lab.Files());
        var kvm = Tshark.Fields(file, "eth.src == 52:54:00:12:34:56", "vlan.id", "frame.cap_len", "frame.len");
        Assert.Equal(10, kvm.Length);
        Assert.All(kvm, f => Assert.Equal("30\t64\t246", f));
        var vmware = Tshark.Fields(file, "eth.src == 00:50:56:9a:10:01", "vlan.id", "frame.cap_len");
        Assert.Equal(10, vmware.Length);
        Assert.All(vmware, f => Assert.Equal("20\t64", f));
    }

    [RootFact]
    public void A_link_going_down_and_up_is_survived_and_the_gap_is_in_the_file()
    {
        using var firmware = _lab.StartFirmware();
        firmware.WaitFor("Capture started");
        _lab.Send("host", FromHost, 20);
        Assert.Equal(0, _lab.Exec("box", "ip", "link", "set", "a0", "down").ExitCode);
        firmware.WaitFor("Link down on port A", TimeSpan.FromSeconds(5));
        Thread.Sleep(500);
        Assert.Equal(0, _lab.Exec("box", "ip", "link", "set", "a0", "up").ExitCode);
        firmware.WaitFor("Link up on port A", TimeSpan.FromSeconds(5));
        Thread.Sleep(300);
        _lab.Send("host", FromHost, 30);
        Thread.Sleep(300);
        firmware.Stop();

        var file = Assert.Single(_lab.Files());
        Assert.Equal(50, Tshark.Count(file, "eth.src == 02:00:00:00:0a:01 and udp"));
        var comments = Tshark.Fields(file, "frame.comment", "frame.comment");
        Assert.Contains(comments, c => c.StartsWith("link down on port A", StringComparison.Ordinal));
        Assert.Contains(comments, c => c.StartsWith("link up on port A after", StringComparison.Ordinal));
    }

    [RootFact]
    public void Kill_9_during_a_capture_then_a_restart_leaves_every_file_readable()
    {
        using (var firmware = _lab.StartFirmware())
        {
            firmware.WaitFor("Capture started");
            _lab.Send("host", FromHost, 300, "1ms");
            // Within a few fsync intervals (200 ms here) all 300 frames are on the disk; then the hard kill.
            var part = Directory.GetFiles(_lab.Captures, "*.part").Single();
            var deadline = DateTime.UtcNow.AddSeconds(10);
            int frames = 0, stable = 0;
            while (stable < 3 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
                var now = PcapngBlockWalker.WholeBlocks(File.ReadAllBytes(part)).Count(b => b.Type == 6);
                stable = now >= 300 && now == frames ? stable + 1 : 0;
                frames = now;
            }

            firmware.KillHard();
        }

        Assert.Single(Directory.GetFiles(_lab.Captures, "*.part"));
        using (var firmware = _lab.StartFirmware())
        {
            firmware.WaitFor("Capture started");
            Assert.Contains("Repaired", firmware.Output, StringComparison.Ordinal);
            _lab.Send("host", FromHost, 10);
            Thread.Sleep(300);
            firmware.Stop();
        }

        Assert.Empty(Directory.GetFiles(_lab.Captures, "*.part"));
        var files = _lab.Files();
        Assert.Equal(2, files.Length);
        Assert.All(files, Tshark.AssertReadsCleanly);
        Assert.Equal(300, Tshark.Count(files[0], "eth.src == 02:00:00:00:0a:01 and udp"));
    }

    [RootFact]
    public void Ports_already_bridged_by_the_OS_image_keep_their_bridge()
    {
        Assert.Equal(0, _lab.Exec("box", "ip", "link", "add", "br-os", "type", "bridge", "stp_state", "0", "forward_delay", "0").ExitCode);
        _lab.Exec("box", "sh", "-c", "echo 1 > /proc/sys/net/ipv6/conf/br-os/disable_ipv6");
        Assert.Equal(0, _lab.Exec("box", "ip", "link", "set", "a0", "master", "br-os").ExitCode);
        Assert.Equal(0, _lab.Exec("box", "ip", "link", "set", "b0", "master", "br-os").ExitCode);
        using var firmware = _lab.StartFirmware();
        firmware.WaitFor("Capture started");
        Assert.Contains("bridge br-os", firmware.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("vcbr0", _lab.Exec("box", "ip", "link").StdOut, StringComparison.Ordinal);
        AssertForwarding("through the OS image's bridge");
        firmware.Stop();
    }

    [RootFact]
    public void Monitor_mode_listens_on_both_ports_and_never_forwards()
    {
        using var firmware = _lab.StartFirmware("AfPacket", "--Capture:Mode=Monitor");
        firmware.WaitFor("Capture started");
        Assert.Contains("Monitor mode", firmware.Output, StringComparison.Ordinal);
        _lab.Send("host", FromHost, 40);
        _lab.Send("switch", FromSwitch, 30);
        var ping = _lab.Exec("host", "ping", "-c", "1", "-W", "1", "192.0.2.2");
        Assert.NotEqual(0, ping.ExitCode);
        Thread.Sleep(300);
        firmware.Stop();

        var file = Assert.Single(_lab.Files());
        Assert.Equal(40, Tshark.Count(file, "frame.interface_name == \"A\" and udp.port == 5001"));
        Assert.Equal(30, Tshark.Count(file, "frame.interface_name == \"B\" and udp.port == 5001"));
        Assert.Equal(string.Empty, _lab.Exec("box", "ip", "-br", "addr", "show", "master", "vcbr0").StdOut.Trim());
    }

    [RootFact]
    public void The_vm_inventory_events_and_a_vm_selection_work_on_the_live_path()
    {
        using var firmware = _lab.StartFirmware();
        firmware.WaitFor("Capture started");
        var traffic = Path.Combine(AppContext.BaseDirectory, "../../../../../hardware/lab/traffic");
        _lab.Send("host", File.ReadAllText(Path.Combine(traffic, "vms.cfg")), 60, "2ms");
        _lab.Send("host", File.ReadAllText(Path.Combine(traffic, "announce.cfg")), 2, "2ms");
        Thread.Sleep(1500);

        using var vms = System.Text.Json.JsonDocument.Parse(_lab.Api("GET", "/api/vms"));
        var byMac = vms.RootElement.EnumerateArray().ToDictionary(v => (v.GetProperty("mac").GetString(), v.GetProperty("vlan").GetInt32()));
        Assert.Equal("VMware", byMac[("00:50:56:9a:10:01", 20)].GetProperty("family").GetString());
        Assert.Equal(20, byMac[("00:50:56:9a:10:01", 20)].GetProperty("framesSent").GetInt64());
        Assert.Equal(["10.20.0.11"], byMac[("00:50:56:9a:10:01", 20)].GetProperty("addresses").EnumerateArray().Select(a => a.GetString()!).ToArray());
        Assert.Equal(21, byMac[("00:15:5d:01:30:01", 0)].GetProperty("framesSent").GetInt64());
        Assert.Equal("QEMU/KVM", byMac[("52:54:00:12:34:56", 30)].GetProperty("family").GetString());
        Assert.Equal("A", byMac[("52:54:00:12:34:56", 30)].GetProperty("port").GetString());
        var events = _lab.Api("GET", "/api/events");
        Assert.Contains("VM 00:50:56:9a:10:02 (VMware) announced on port A (RARP)", events, StringComparison.Ordinal);
        Assert.Contains("VM 00:15:5d:01:30:01 (Hyper-V) announced on port A (gratuitous ARP)", events, StringComparison.Ordinal);
        Assert.Contains("\"advice\":", _lab.Api("GET", "/api/status"), StringComparison.Ordinal);

        // Narrow to one VM at run time: a new file whose interfaces carry the effective filter, and only that VM.
        var put = _lab.Api("PUT", "/api/config", "{\"capture\":{\"vms\":[\"00:50:56:9a:10:01@20\"]}}");
        Assert.Contains("00:50:56:9a:10:01@20", put, StringComparison.Ordinal);
        firmware.WaitFor("Capture started: source AfPacketFrameSource", TimeSpan.FromSeconds(10));
        Thread.Sleep(500);
        _lab.Send("host", File.ReadAllText(Path.Combine(traffic, "vms.cfg")), 30, "2ms");
        Thread.Sleep(500);
        firmware.Stop();
        var files = _lab.Files();
        Assert.Equal(2, files.Length);
        var info = Run.Program("capinfos", files[1]).StdOut;
        Assert.True(info.Contains("Filter string = (ether host 00:50:56:9a:10:01 and vlan 20)", StringComparison.Ordinal), info + firmware.Output);
        var macs = Tshark.Fields(files[1], "not frame.comment", "eth.src").Distinct().ToArray();
        Assert.Equal(["00:50:56:9a:10:01"], macs);
        Assert.Equal(10, Tshark.Count(files[1], "not frame.comment"));
    }

    // A loop, a flapping team or a hostile host sends announcements at line rate: every frame is recorded with its
    // comment, but the event list, the log and the fleet get at most ten a second per VM, and a count of the rest (the
    // box used to log a line per frame, and lost 2 % of a 1M-frame RARP storm).
    [RootFact]
    public void A_storm_of_vm_announcements_is_recorded_whole_and_listed_as_a_count()
    {
        using var firmware = _lab.StartFirmware();
        firmware.WaitFor("Capture started");
        const int Storm = 200_000;
        var traffic = Path.Combine(AppContext.BaseDirectory, "../../../../../hardware/lab/traffic");
        _lab.Send("host", File.ReadAllText(Path.Combine(traffic, "announce.cfg")), Storm, "0");
        Thread.Sleep(2500); // the inventory's sweep (every second) reports what it held back

        using var events = System.Text.Json.JsonDocument.Parse(_lab.Api("GET", "/api/events"));
        var all = events.RootElement.EnumerateArray().ToArray();
        var announced = all.Count(e => e.GetProperty("kind").GetString() == "announced");
        var suppressed = all.Where(e => e.GetProperty("kind").GetString() == "suppressed")
            .Sum(e => long.Parse(e.GetProperty("text").GetString()!.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
        firmware.Stop();

        Assert.Equal(Storm, announced + suppressed);
        Assert.InRange(announced, 2, 200);
        Assert.True(firmware.Output.Split('\n').Count(l => l.Contains(" announced on port", StringComparison.Ordinal)) <= announced, "a log line per listed announcement, not per frame");
        var file = Assert.Single(_lab.Files());
        Assert.Equal(Storm, Tshark.Count(file, "frame.comment contains \"announced\" and (arp.opcode == 3 or arp.opcode == 1)"));
    }

    [RootFact]
    public void A_capture_port_with_an_address_is_refused_with_one_clear_line()
    {
        Assert.Equal(0, _lab.Exec("box", "ip", "addr", "add", "198.51.100.7/24", "dev", "b0").ExitCode);
        using var firmware = _lab.StartFirmware();
        firmware.WaitFor("Capture cannot start");
        Assert.Contains("port B (b0) has the address 198.51.100.7/24: capture ports must have no address", firmware.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", firmware.Output, StringComparison.Ordinal);
    }

    private void AssertForwarding(string when)
    {
        var ping = _lab.Exec("host", "ping", "-c", "3", "-i", "0.2", "-W", "2", "192.0.2.2");
        Assert.True(ping.ExitCode == 0, $"ping across the box failed {when}: {ping.StdOut}");
        var server = Run.Start("ip", ["netns", "exec", $"{_lab.Name}-switch", "nc", "-l", "-N", "192.0.2.2", "9000"]);
        Thread.Sleep(200);
        var client = _lab.Exec("host", "bash", "-c", "echo across-the-box | nc -N -w 3 192.0.2.2 9000");
        Assert.True(client.ExitCode == 0, $"TCP across the box failed {when}: {client.StdErr}");
        Assert.True(server.WaitForExit(5000));
        Assert.Equal("across-the-box", server.StandardOutput.ReadToEnd().Trim());
    }
}
