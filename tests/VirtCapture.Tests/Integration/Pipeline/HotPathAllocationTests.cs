using System.Globalization;
using System.Text.RegularExpressions;
using VirtCapture.Format.Pcap;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Pipeline;

/// <summary>
/// The capture thread allocates nothing per frame, even where VMs announce themselves over and over (each announcement
/// gets its comment in the file): what it allocates is the same for 20 000 frames as for 200 000.
/// </summary>
public sealed class HotPathAllocationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Announcements_repeated_by_the_thousand_cost_the_capture_thread_no_allocation_each()
    {
        var small = Allocated(Traffic("small.pcap", 20_000), out var smallAnnounced);
        var large = Allocated(Traffic("large.pcap", 200_000), out var largeAnnounced);
        Assert.Equal(2_000, smallAnnounced);
        Assert.Equal(20_000, largeAnnounced);
        // Ten times the frames and announcements, and not 1 byte more per 100 frames on the capture thread.
        Assert.True(large - small < 2_000, $"the capture thread allocated {small} bytes for 20000 frames and {large} for 200000");
    }

    // One frame in ten a gratuitous ARP from one of ten VMs; the rest UDP.
    private string Traffic(string name, int frames)
    {
        var path = _dir.File(name);
        using var pcap = new ClassicPcapWriter(path);
        var t = TrafficFile.Epoch;
        var udp = VmTrafficFile.Udp4(VmTrafficFile.VMware, VmTrafficFile.Router, 20, "10.20.0.11", "10.20.0.1");
        var arps = Enumerable.Range(0, 10).Select(i => VmTrafficFile.Arp($"00:50:56:9a:20:{i:x2}", 0, $"192.168.1.{i + 10}", $"192.168.1.{i + 10}", 1)).ToArray();
        for (var i = 0; i < frames; i++)
        {
            pcap.Write(t += 1_000, i % 10 == 0 ? arps[i / 10 % 10] : udp);
        }

        return path;
    }

    private long Allocated(string input, out int announced)
    {
        var output = input + ".pcapng";
        var run = Firmware.Run("capture", "-r", input, "-w", output, "--stats");
        Assert.True(run.ExitCode == 0, run.StdErr);
        announced = Tshark.Count(output, "frame.comment contains \"announced\"");
        var match = Regex.Match(run.StdErr, @"capture thread allocated (\d+) bytes");
        Assert.True(match.Success, run.StdErr);
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
