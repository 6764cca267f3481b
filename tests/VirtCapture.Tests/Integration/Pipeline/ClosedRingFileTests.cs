using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using VirtCapture.Hal.Frames;
using VirtCapture.Hal.Synthetic;
using VirtCapture.Pipeline;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Pipeline;

/// <summary>
/// What the ring says it wrote into each file it closes (the catalog lists the file from it, without a walk) is what
/// tshark finds in the file: its frames, the drops they report, its first and newest frame's time, its size.
/// </summary>
public sealed class ClosedRingFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Two_ports_with_comments_rotating_by_size_are_tallied_as_tshark_reads_each_file()
    {
        var closed = await CaptureAsync(
            new SyntheticFrameSource(["A", "B"], 20_000),
            "not (tcp or (vlan and tcp))",
            128,
            new RingSettings { Directory = _dir.Path, MaxFileBytes = 150_000 },
            new PipelineSettings(),
            pipeline => pipeline.AddComment("MARK 1", 1));

        Assert.True(closed.Count >= 3, $"150 kB files should have rotated ({closed.Count} closed)");
        AssertEachFileAsTsharkReadsIt(closed);
    }

    [Fact]
    public async Task Frames_lost_in_a_full_buffer_are_tallied_in_the_file_whose_frames_report_them()
    {
        var closed = await CaptureAsync(
            new BurstFrameSource(60_000, 1500),
            string.Empty,
            262144,
            new RingSettings { Directory = _dir.Path, MaxFileBytes = 8_000_000 },
            new PipelineSettings { BufferBytes = 4 * 65536, SegmentBytes = 65536 },
            null);

        Assert.True(closed.Sum(c => c.Drops) > 0, "a 256 kB buffer cannot absorb a 90 MB burst");
        AssertEachFileAsTsharkReadsIt(closed);
    }

    private async Task<IReadOnlyList<ClosedRingFile>> CaptureAsync(IFrameSource source, string filter, int snaplen, RingSettings ring, PipelineSettings pipeline, Action<CapturePipeline>? during)
    {
        var closed = new ConcurrentQueue<ClosedRingFile>();
        using var session = CaptureSession.Create(source, EffectiveFilter.Plain(filter), snaplen, ring, pipeline, TimeProvider.System, NullLogger.Instance);
        session.Pipeline.Ring.FileClosed += closed.Enqueue;
        session.Start();
        await Task.Delay(400);
        during?.Invoke(session.Pipeline);
        await Task.Delay(800);
        await session.StopAsync();
        return [.. closed];
    }

    private void AssertEachFileAsTsharkReadsIt(IReadOnlyList<ClosedRingFile> closed)
    {
        var files = Directory.GetFiles(_dir.Path, "*.pcapng").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(files, closed.Select(c => c.Path).Order(StringComparer.Ordinal));
        foreach (var file in closed)
        {
            var info = new FileInfo(file.Path);
            Assert.Equal(info.Length, file.Length);
            Assert.Equal(info.LastWriteTimeUtc, file.ModifiedUtc);

            var frames = Tshark.Fields(file.Path, "frame.cap_len > 0", "frame.time_epoch", "frame.drop_count");
            var stamps = frames.Select(f => Nanoseconds(f.Split('\t')[0])).ToArray();
            var name = Path.GetFileName(file.Path);
            Assert.True(frames.Length == file.Frames, $"{name}: {file.Frames} frames tallied, tshark reads {frames.Length}");
            Assert.Equal(frames.Sum(f => f.Split('\t')[1] is { Length: > 0 } d ? long.Parse(d, CultureInfo.InvariantCulture) : 0), file.Drops);
            Assert.Equal(stamps.FirstOrDefault(t => t != 0), file.FirstNs);
            Assert.Equal(stamps.DefaultIfEmpty(0).Max(), file.LastNs);
        }
    }

    // tshark's epoch time with its nine decimals, as an integer: a double would round the nanoseconds away.
    private static long Nanoseconds(string epoch)
    {
        var parts = epoch.Split('.');
        var fraction = parts.Length > 1 ? parts[1].PadRight(9, '0')[..9] : "0";
        return (long.Parse(parts[0], CultureInfo.InvariantCulture) * 1_000_000_000) + long.Parse(fraction, CultureInfo.InvariantCulture);
    }
}
