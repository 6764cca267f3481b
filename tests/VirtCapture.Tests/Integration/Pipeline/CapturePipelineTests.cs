using Microsoft.Extensions.Logging.Abstractions;
using VirtCapture.Hal.Frames;
using VirtCapture.Hal.Synthetic;
using VirtCapture.Pipeline;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Pipeline;

/// <summary>The whole data path with live sources: directions, event comments, statistics blocks and drops.</summary>
public sealed class CapturePipelineTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Live_capture_records_directions_comments_and_statistics_that_tshark_reads()
    {
        using var session = CaptureSession.Create(
            new SyntheticFrameSource(["A", "B"], 20_000),
            EffectiveFilter.Plain("not (tcp or (vlan and tcp))"),
            128,
            new RingSettings { Directory = _dir.Path, MaxFileBytes = 150_000 },
            new PipelineSettings(),
            TimeProvider.System,
            NullLogger.Instance);
        session.Start();
        await Task.Delay(400);
        session.Pipeline.AddComment("MARK 1", 1);
        await Task.Delay(400);
        await session.StopAsync();

        var files = Directory.GetFiles(_dir.Path, "*.pcapng").Order(StringComparer.Ordinal).ToArray();
        Assert.True(files.Length >= 2, "150 kB files should have rotated");
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.part"));
        Assert.All(files, Tshark.AssertReadsCleanly);

        var comments = files.SelectMany(f => Tshark.Fields(f, "frame.comment contains \"MARK\"", "frame.comment", "frame.interface_id", "frame.len")).ToArray();
        Assert.Equal("MARK 1\t1\t0", Assert.Single(comments));

        // Frames (the comment-only event block has no bytes; announcing frames carry their comment and count).
        var frames = files.SelectMany(f => Tshark.Fields(f, "frame.len > 0", "frame.interface_name", "frame.packet_flags_direction", "frame.cap_len", "tcp")).ToArray();
        var counters = session.Pipeline.Counters();
        Assert.Equal(counters.Sum(c => c.Written), frames.Length);
        Assert.All(frames, f => Assert.Matches(@"^[AB]\t0x0*1\t\d+\t$", f));
        Assert.All(frames, f => Assert.True(int.Parse(f.Split('\t')[2]) <= 128));
        Assert.Equal(counters[0].Written, frames.Count(f => f.StartsWith('A')));
        Assert.All(counters, c => Assert.True(c.FilteredOut > 0 && c.Accepted + c.FilteredOut == c.Received, $"{c}"));

        // The newest file closes with one statistics block per port holding the final counters.
        var stats = PcapngBlockWalker.Statistics(files[^1]);
        Assert.Equal(2, stats.Count);
        foreach (var (iface, options) in stats)
        {
            var c = counters[iface];
            Assert.Equal((ulong)c.Received, options[4]);
            Assert.Equal((ulong)c.Accepted, options[6]);
            Assert.Equal((ulong)c.KernelDropped, options[7]);
            Assert.Equal((ulong)c.Written, options[8]);
            Assert.True(options[3] >= options[2], "isb_endtime after isb_starttime");
        }
    }

    [Fact]
    public async Task A_disk_slower_than_the_traffic_drops_counts_and_marks_every_lost_frame()
    {
        using var session = CaptureSession.Create(
            new BurstFrameSource(60_000, 1500),
            EffectiveFilter.Plain(string.Empty),
            262144,
            new RingSettings { Directory = _dir.Path },
            new PipelineSettings { BufferBytes = 4 * 65536, SegmentBytes = 65536 },
            TimeProvider.System,
            NullLogger.Instance);
        session.Start();
        await Task.Delay(1200);
        await session.StopAsync();

        var counters = session.Pipeline.Counters();
        var dropped = counters.Sum(c => c.BufferDropped);
        Assert.True(dropped > 0, "a 256 kB buffer cannot absorb a 90 MB burst");
        Assert.All(counters, c => Assert.Equal(c.Accepted, c.Written + c.BufferDropped));

        var file = Assert.Single(Directory.GetFiles(_dir.Path, "*.pcapng"));
        Tshark.AssertReadsCleanly(file);
        Assert.Equal(counters.Sum(c => c.Written), Tshark.Count(file));
        // Every lost frame is announced by epb_dropcount on the next frame of its port.
        var announced = Tshark.Fields(file, "frame.drop_count > 0", "frame.interface_id", "frame.drop_count")
            .Select(l => l.Split('\t')).GroupBy(p => int.Parse(p[0])).ToDictionary(g => g.Key, g => g.Sum(p => long.Parse(p[1])));
        for (var port = 0; port < 2; port++)
        {
            Assert.Equal(counters[port].BufferDropped, announced.GetValueOrDefault(port));
        }

        Assert.Contains("dropped in the capture buffer", await File.ReadAllTextAsync(file, System.Text.Encoding.Latin1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Full_segments_go_to_the_disk_from_the_buffer_and_tshark_tcpdump_and_scapy_count_every_frame()
    {
        using var session = CaptureSession.Create(
            new BurstFrameSource(20_000, 300),
            EffectiveFilter.Plain(string.Empty),
            262144,
            new RingSettings { Directory = _dir.Path },
            new PipelineSettings(),
            TimeProvider.System,
            NullLogger.Instance);
        session.Start();
        await Task.Delay(1000);
        await session.StopAsync();

        var counters = session.Pipeline.Counters();
        var written = counters.Sum(c => c.Written);
        Assert.Equal(20_002, written);
        var file = Assert.Single(Directory.GetFiles(_dir.Path, "*.pcapng"));
        var data = await File.ReadAllBytesAsync(file);
        var blocks = PcapngBlockWalker.WholeBlocks(data);
        Assert.Equal(data.Length, blocks.Sum(b => (long)b.Length));
        if (DirectIoWorks(_dir.Path))
        {
            // Six megabytes in 1 MB segments: each full one is written in place, a padding block putting it on a page.
            var padding = blocks.Where(b => b.Type == VirtCapture.Format.Pcapng.PcapngBlocks.PaddingType).ToList();
            Assert.InRange(padding.Count, 4, 7);
            Assert.All(padding, p => Assert.Equal(0, (p.Offset + p.Length) % 4096));
        }

        Tshark.AssertReadsCleanly(file);
        Assert.Equal(written, Tshark.Count(file));
        Assert.Equal(written, Run.Program("tcpdump", "-r", file, "-nn", "-q").Lines.Length);
        var scapy = Run.Program("/usr/bin/python3", "-c", "import sys; from scapy.all import rdpcap; print(len(rdpcap(sys.argv[1])))", file);
        Assert.True(scapy.ExitCode == 0, scapy.StdErr);
        Assert.Equal(written.ToString(System.Globalization.CultureInfo.InvariantCulture), scapy.Lines.Last());
    }

    // Whether this directory's file system takes O_DIRECT writes (tmpfs before Linux 6.6 does not).
    private static bool DirectIoWorks(string directory)
    {
        var probe = Path.Combine(directory, "direct-probe");
        try
        {
            using var file = new VirtCapture.Storage.DirectFileAppender(probe, new byte[4096]);
            file.Flush();
            return file.IsDirect;
        }
        finally
        {
            File.Delete(probe);
        }
    }

    [Fact]
    public void A_frame_source_that_filters_in_the_kernel_is_not_filtered_again()
    {
        using var filter = new CaptureFilter("udp", [new CapturePort("A", "a", CapturePort.Ethernet)], appliedInKernel: true);
        var tcpFrame = new byte[60];
        tcpFrame[12] = 0x08;
        tcpFrame[14] = 0x45;
        tcpFrame[23] = 6;
        Assert.True(filter.Accepts(new FrameRecord { CapturedLength = 60, WireLength = 60 }, tcpFrame));

        using var userSpace = new CaptureFilter("udp", [new CapturePort("A", "a", CapturePort.Ethernet)], appliedInKernel: false);
        Assert.False(userSpace.Accepts(new FrameRecord { CapturedLength = 60, WireLength = 60 }, tcpFrame));
        tcpFrame[23] = 17;
        Assert.True(userSpace.Accepts(new FrameRecord { CapturedLength = 60, WireLength = 60 }, tcpFrame));
    }
}
