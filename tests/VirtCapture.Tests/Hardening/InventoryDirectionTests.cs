using System.Text.Json;
using VirtCapture.Hal.Replay;
using VirtCapture.Tests.Support;
using VirtCapture.Vm;

namespace VirtCapture.Tests.Hardening;

/// <summary>Inline, a VM's frames arrive on port A and the frames to it on port B: both directions count.</summary>
public sealed class InventoryDirectionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Frames_to_a_VM_on_the_other_port_count_as_received()
    {
        // Port A (the host side) carries the VM's frames, port B (the switch side) the router's replies; mergecap
        // makes one pcapng with two interfaces of them, as the box records an inline link.
        var vm = Convert.FromHexString("0050569a1001");
        var router = Convert.FromHexString("3cfdfe000001");
        WriteFrames(_dir.File("a.pcap"), vm, router, 7, 0);
        WriteFrames(_dir.File("b.pcap"), router, vm, 5, 500);
        var merged = _dir.File("inline.pcapng");
        var merge = Run.Program("mergecap", "-F", "pcapng", "-I", "none", "-w", merged, _dir.File("a.pcap"), _dir.File("b.pcap"));
        Assert.True(merge.ExitCode == 0, merge.StdErr);
        Assert.Equal("2", Tshark.CapinfosValue(merged, "Number of interfaces in file"));

        var result = Firmware.Run("inventory", "-r", merged, "--json");
        Assert.True(result.ExitCode == 0, result.StdErr);
        using var json = JsonDocument.Parse(result.StdOut);
        var entry = json.RootElement.GetProperty("vms").EnumerateArray().Single(v => v.GetProperty("mac").GetString() == VirtCapture.Tests.Vm.VmTrafficFile.VMware);
        Assert.Equal(7, entry.GetProperty("framesSent").GetInt64());
        Assert.Equal(5, entry.GetProperty("framesReceived").GetInt64());
        var routerEntry = json.RootElement.GetProperty("vms").EnumerateArray().Single(v => v.GetProperty("mac").GetString() == VirtCapture.Tests.Vm.VmTrafficFile.Router);
        Assert.Equal(7, routerEntry.GetProperty("framesReceived").GetInt64());
    }

    [Fact]
    public void Capacity_advice_accounts_for_the_file_count_and_duration_and_lists_a_MAC_once()
    {
        var now = DateTimeOffset.UtcNow;
        VmView View(string mac, string port) => new(mac, "VMware", port, 0, [], now, now, 100, 100_000, 0, 0, 1000, 1_000_000, false);
        var vms = new[] { View(VirtCapture.Tests.Vm.VmTrafficFile.Router, "A"), View(VirtCapture.Tests.Vm.VmTrafficFile.Router, "B"), View(VirtCapture.Tests.Vm.VmTrafficFile.VMware, "A") };

        // 20 files of 60 s keep 20 minutes, however large the disk.
        var advice = CapacityAdvisor.Advise(3000, 1000, 900_000_000_000, 262144, 24, vms, maxHours: 20 * 60 / 3600.0);
        Assert.Equal(0.3, advice.RetentionHours);
        Assert.Contains("Storage:MaxFiles", advice.Advice, StringComparison.Ordinal);
        Assert.DoesNotContain("287", advice.Advice, StringComparison.Ordinal);
        Assert.Equal(2, advice.Vms.Count);
        Assert.Single(advice.Vms, v => v.Mac == VirtCapture.Tests.Vm.VmTrafficFile.Router);
    }

    private static void WriteFrames(string path, byte[] source, byte[] destination, int count, long offsetNs)
    {
        using var writer = new ClassicPcapWriter(path);
        for (var i = 0; i < count; i++)
        {
            var frame = new byte[60];
            destination.CopyTo(frame, 0);
            source.CopyTo(frame, 6);
            frame[12] = 0x08;
            frame[14] = 0x45;
            writer.Write(TrafficFile.Epoch + offsetNs + (i * 1000L), frame);
        }
    }
}
