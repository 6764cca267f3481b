using System.Text.Json;
using VirtCapture.Hal.Frames;
using VirtCapture.Tests.Support;
using VirtCapture.Vm;

namespace VirtCapture.Tests.Integration.Vm;

/// <summary>The VM inventory, events and VM-scoped capture over traffic whose every frame is known.</summary>
public sealed class InventoryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_inventory_command_counts_every_mac_with_family_vlan_and_addresses()
    {
        var file = VmTrafficFile.Write(_dir.File("vms.pcap"));
        var result = Firmware.Run("inventory", "-r", file, "--json", "--idle-seconds", "2");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StdOut);
        var vms = json.RootElement.GetProperty("vms").EnumerateArray().ToDictionary(v => v.GetProperty("mac").GetString()!);

        AssertVm(vms[VmTrafficFile.VMware], "VMware", 20, sent: 10, received: 5, ["10.20.0.11"]);
        AssertVm(vms[VmTrafficFile.HyperV], "Hyper-V", 0, sent: 5, received: 4, ["192.168.1.31"]);
        AssertVm(vms[VmTrafficFile.Kvm], "QEMU/KVM", 30, sent: 3, received: 0, []);
        AssertVm(vms[VmTrafficFile.Xen], "Xen", 0, sent: 3, received: 0, ["2001:db8::51"]);
        AssertVm(vms[VmTrafficFile.Physical], "physical or unknown", 0, sent: 4, received: 6, ["192.168.1.1"]);
        AssertVm(vms[VmTrafficFile.Router], "physical or unknown", 20, sent: 5, received: 10, ["10.20.0.1"]);
        Assert.Equal(6, vms.Count);

        var events = json.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("text").GetString()!).ToArray();
        Assert.Equal(3, events.Count(e => e == $"VM {VmTrafficFile.Kvm} (QEMU/KVM) announced on port if0, VLAN 30 (RARP)"));
        Assert.Single(events, $"VM {VmTrafficFile.HyperV} (Hyper-V) announced on port if0 (gratuitous ARP)");
        Assert.Single(events, $"VM {VmTrafficFile.Xen} (Xen) announced on port if0 (unsolicited neighbour advertisement)");
        // 3 s of silence at the end: every VM but the one still talking is gone; the physical host is not.
        Assert.Contains($"VM {VmTrafficFile.VMware} (VMware) gone from port if0, VLAN 20: not seen for 2 s", events);
        Assert.DoesNotContain(events, e => e.Contains($"{VmTrafficFile.Physical} (physical or unknown) gone", StringComparison.Ordinal));
    }

    [Fact]
    public void The_announcement_comments_stand_on_the_announcing_frames()
    {
        var file = VmTrafficFile.Write(_dir.File("vms.pcap"));
        var output = _dir.File("out.pcapng");
        Assert.Equal(0, Firmware.Run("capture", "-r", file, "-w", output).ExitCode);
        Tshark.AssertReadsCleanly(output);
        var commented = Tshark.Fields(output, "frame.comment", "frame.number", "frame.comment");
        var announcing = Tshark.Fields(output, "arp.opcode == 3 or (arp.opcode == 1 and arp.src.proto_ipv4 == arp.dst.proto_ipv4) or (icmpv6.type == 136 and icmpv6.nd.na.flag.s == 0)", "frame.number");
        Assert.Equal(5, announcing.Length);
        Assert.Equal(announcing, commented.Select(c => c.Split('\t')[0]).ToArray());
        Assert.Contains($"{announcing[^1]}\tVM {VmTrafficFile.Xen} (Xen) announced on port if0 (unsolicited neighbour advertisement)", commented);
    }

    [Fact]
    public void A_vm_scoped_capture_keeps_exactly_what_tcpdump_keeps_with_the_equivalent_filter()
    {
        var input = TrafficFile.Generate(_dir.File("traffic.pcap"), 20_000);
        var output = _dir.File("vms.pcapng");
        var result = Firmware.Run("capture", "-r", input, "-w", output, "-f", "not arp", "--vm", "00:50:56:9a:10:01", "--vm", "00:15:5d:01:30:01@20");
        Assert.Equal(0, result.ExitCode);
        const string equivalent = "(not arp) and (ether host 00:50:56:9a:10:01 or (ether host 00:15:5d:01:30:01 and vlan 20))";
        Assert.Contains($"Filter string = {equivalent}", Run.Program("capinfos", output).StdOut, StringComparison.Ordinal);

        var expected = _dir.File("expected.pcap");
        Assert.Equal(0, Run.Program("tcpdump", "--time-stamp-precision=nano", "-r", input, "-w", expected, equivalent).ExitCode);
        var theirs = Tshark.Fields(expected, null, "frame.time_epoch", "eth.src", "eth.dst", "vlan.id");
        var ours = Tshark.Fields(output, null, "frame.time_epoch", "eth.src", "eth.dst", "vlan.id");
        Assert.True(theirs.Length > 1000, $"the selection should keep thousands of frames, kept {theirs.Length}");
        Assert.True(theirs.Length < 15_000, "and leave the other VMs out");
        Assert.Equal(theirs, ours);
    }

    [Fact]
    public void The_same_mac_announced_on_both_ports_is_a_failover()
    {
        var inventory = new VmInventory(HypervisorFamilies.Default, TimeSpan.FromMinutes(5));
        var rarp = Convert.FromHexString("ffffffffffff0050569a100280350001080006040003" + "0050569a1002000000000050569a100200000000" + "0000000000000000000000000000");
        inventory.Observe(new FrameRecord { TimestampNs = 1, CapturedLength = rarp.Length, WireLength = rarp.Length }, rarp, 0, "A");
        inventory.Observe(new FrameRecord { TimestampNs = 2, CapturedLength = rarp.Length, WireLength = rarp.Length, Port = 1 }, rarp, 1, "B");
        var events = inventory.Events().Select(e => e.Text).ToArray();
        Assert.Equal(
            [
                "VM 00:50:56:9a:10:02 (VMware) announced on port A (RARP)",
                "VM 00:50:56:9a:10:02 (VMware) announced on port B (RARP)",
                "VM 00:50:56:9a:10:02 (VMware) announced on both ports (A then B): a teamed NIC failing over",
            ],
            events);
    }

    [Fact]
    public void Extra_mac_prefixes_come_from_configuration()
    {
        var families = new HypervisorFamilies(new Dictionary<string, string> { ["02:42:ac"] = "Docker" });
        Assert.Equal("Docker", families.Of(Convert.FromHexString("0242ac110002")));
        Assert.Equal("VMware", families.Of(Convert.FromHexString("000c29aabbcc")));
        Assert.Throws<UserErrorException>(() => new HypervisorFamilies(new Dictionary<string, string> { ["nonsense"] = "X" }));
    }

    private static void AssertVm(JsonElement vm, string family, int vlan, long sent, long received, string[] addresses)
    {
        Assert.Equal(family, vm.GetProperty("family").GetString());
        Assert.Equal(vlan, vm.GetProperty("vlan").GetInt32());
        Assert.Equal(sent, vm.GetProperty("framesSent").GetInt64());
        Assert.Equal(received, vm.GetProperty("framesReceived").GetInt64());
        Assert.Equal(addresses, vm.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()).ToArray());
    }
}
