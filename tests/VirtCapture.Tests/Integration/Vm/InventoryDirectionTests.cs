using System.Text.Json;
using VirtCapture.Format.Pcap;
using VirtCapture.Hal.Replay;
using VirtCapture.Tests.Support;
using VirtCapture.Vm;

namespace VirtCapture.Tests.Integration.Vm;

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
        var entry = json.RootElement.GetProperty("vms").EnumerateArray().Single(v => v.GetProperty("mac").GetString() == VmTrafficFile.VMware);
        Assert.Equal(7, entry.GetProperty("framesSent").GetInt64());
        Assert.Equal(5, entry.GetProperty("framesReceived").GetInt64());
        var routerEntry = json.RootElement.GetProperty("vms").EnumerateArray().Single(v => v.GetProperty("mac").GetString() == VmTrafficFile.Router);
        Assert.Equal(7, routerEntry.GetProperty("framesReceived").GetInt64());
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
