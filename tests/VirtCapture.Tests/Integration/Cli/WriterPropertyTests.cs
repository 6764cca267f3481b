using VirtCapture.Format.Pcap;
using VirtCapture.Hal.Replay;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Cli;

/// <summary>Random frames of every size through random snaplens come out exactly as tshark expects.</summary>
public sealed class WriterPropertyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_frames_keep_their_times_lengths_and_bytes(int seed)
    {
        var random = new Random(seed);
        var input = _dir.File("random.pcap");
        var expected = new List<(long Ts, int Length)>();
        using (var writer = new ClassicPcapWriter(input))
        {
            var ts = TrafficFile.Epoch;
            for (var i = 0; i < 400; i++)
            {
                var length = random.Next(4) == 0 ? random.Next(1500, 9200) : random.Next(14, 1519);
                var frame = new byte[length];
                random.NextBytes(frame);
                ts += random.Next(1, 2_000_000_000);
                writer.Write(ts, frame);
                expected.Add((ts, length));
            }
        }

        var snaplen = random.Next(14, 10_000);
        var output = _dir.File("out.pcapng");
        Assert.Equal(0, Firmware.Run("capture", "-r", input, "-w", output, "-s", snaplen.ToString(System.Globalization.CultureInfo.InvariantCulture)).ExitCode);

        Tshark.AssertReadsCleanly(output);
        var actual = Tshark.Fields(output, null, "frame.time_epoch", "frame.len", "frame.cap_len");
        Assert.Equal(expected.Count, actual.Length);
        for (var i = 0; i < expected.Count; i++)
        {
            var (ts, length) = expected[i];
            var wanted = $"{ts / 1_000_000_000}.{ts % 1_000_000_000:D9}\t{length}\t{Math.Min(length, snaplen)}";
            Assert.Equal(wanted, actual[i]);
        }

        // The bytes themselves: editcap cuts the input to the same snaplen, and tcpdump dumps both the same way.
        var reference = _dir.File("reference.pcap");
        Assert.Equal(0, Run.Program("editcap", "-s", snaplen.ToString(System.Globalization.CultureInfo.InvariantCulture), input, reference).ExitCode);
        var ours = Run.Program("tcpdump", "-r", output, "-x", "-nn", "-t");
        var theirs = Run.Program("tcpdump", "-r", reference, "-x", "-nn", "-t");
        Assert.Equal(0, ours.ExitCode);
        var hex = theirs.Lines.Where(l => l.StartsWith("0x", StringComparison.Ordinal)).ToArray();
        Assert.True(hex.Length > 400, "tcpdump should dump every frame's bytes");
        Assert.Equal(hex, ours.Lines.Where(l => l.StartsWith("0x", StringComparison.Ordinal)));
    }
}
