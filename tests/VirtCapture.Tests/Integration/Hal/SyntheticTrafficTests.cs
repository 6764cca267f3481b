using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Hal;

/// <summary>The simulated board's traffic is what a real network carries: Wireshark finds nothing malformed in it.</summary>
public sealed class SyntheticTrafficTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Tshark_finds_no_malformed_frame_and_no_error_in_the_synthetic_traffic()
    {
        var file = TrafficFile.Generate(_dir.File("synthetic.pcap"), 3000, seed: 7);
        Assert.Equal(3000, Tshark.Count(file));
        var bad = Tshark.Fields(file, "_ws.malformed or _ws.expert.severity >= \"error\"", "frame.number", "frame.protocols");
        Assert.True(bad.Length == 0, $"{bad.Length} of 3000 frames are malformed or in error, e.g.: {string.Join(" | ", bad.Take(5))}");
    }
}
