using System.Buffers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using VirtCapture.Hal.Frames;
using VirtCapture.Pcapng;
using VirtCapture.Pipeline;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Pipeline;

/// <summary>Rotation and retention of the ring, on a fake clock and, for free space, a fake disk.</summary>
public sealed class RingFileSetTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly long[] _written = new long[1];

    public void Dispose() => _dir.Dispose();

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000L;

    [Fact]
    public void An_idle_live_file_rotates_on_the_clock_and_is_renamed_from_part()
    {
        using var ring = Create(new RingSettings { Directory = _dir.Path, MaxFileDurationNs = 10_000_000_000 });
        ring.EnsureOpen(Now);
        Assert.EndsWith(".pcapng.part", ring.CurrentPath, StringComparison.Ordinal);
        ring.Write(Blocks.Frame(Now, 100), Now, _written);

        _time.Advance(TimeSpan.FromSeconds(9));
        ring.Tick(Now);
        Assert.Empty(ring.Finished);

        _time.Advance(TimeSpan.FromSeconds(2));
        ring.Tick(Now);
        var closed = Assert.Single(ring.Finished);
        Assert.EndsWith("vc_000001_20261125120000.pcapng", closed.Path, StringComparison.Ordinal);
        Assert.EndsWith("vc_000002_20261125120011.pcapng.part", ring.CurrentPath, StringComparison.Ordinal);
        Tshark.AssertReadsCleanly(closed.Path);
        Assert.Equal(1, Tshark.CapinfosPackets(closed.Path));
    }

    [Fact]
    public void The_ring_keeps_max_files_and_deletes_the_oldest()
    {
        using var ring = Create(new RingSettings { Directory = _dir.Path, MaxFileDurationNs = 1_000_000_000, MaxFiles = 3 });
        WriteSeconds(ring, 6);
        ring.Close(Now);

        var names = Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(3, names.Length);
        // Six one-second files and the seventh the last tick opened: the ring kept the newest three.
        Assert.StartsWith("vc_000005_", names[0], StringComparison.Ordinal);
        Assert.StartsWith("vc_000007_", names[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Protected_files_survive_the_ring()
    {
        using var ring = Create(new RingSettings { Directory = _dir.Path, MaxFileDurationNs = 1_000_000_000, MaxFiles = 3 });
        ring.IsProtected = path => Path.GetFileName(path).StartsWith("vc_000001_", StringComparison.Ordinal);
        WriteSeconds(ring, 6);
        ring.Close(Now);

        var names = Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        // The protected file stands outside MaxFiles: the ring keeps its three newest besides it.
        Assert.Equal(["vc_000001", "vc_000005", "vc_000006", "vc_000007"], names.Select(n => n![..9]).ToArray());
    }

    [Fact]
    public void OnFull_stop_keeps_every_file_and_stops_writing()
    {
        using var ring = Create(new RingSettings { Directory = _dir.Path, MaxFileDurationNs = 1_000_000_000, MaxFiles = 2, OnFull = StorageFullPolicy.Stop });
        WriteSeconds(ring, 5);

        Assert.True(ring.Stopped);
        Assert.Contains("maximum of 2 files", ring.StopReason, StringComparison.Ordinal);
        Assert.False(ring.Write(Blocks.Frame(Now, 60), Now, _written));
        var files = Directory.GetFiles(_dir.Path).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(2, files.Length);
        Assert.All(files, f => Assert.EndsWith(".pcapng", f, StringComparison.Ordinal));
        Assert.All(files, Tshark.AssertReadsCleanly);
    }

    [Fact]
    public void The_free_space_floor_deletes_the_oldest_files()
    {
        const long capacity = 4_000_000;
        using var ring = Create(new RingSettings { Directory = _dir.Path, MaxFileBytes = 200_000, MinFreePercent = 50 }, FakeDisk(capacity));
        for (var i = 0; i < 400; i++)
        {
            ring.Write(Blocks.Frame(Now + i, 10_000), Now, _written);
            ring.Tick(Now);
        }

        ring.Close(Now);
        var files = Directory.GetFiles(_dir.Path).Order(StringComparer.Ordinal).ToArray();
        var used = files.Sum(f => new FileInfo(f).Length);
        Assert.True(used <= (capacity / 2) + 200_000, $"{used} bytes kept on a {capacity}-byte disk with a 50% floor");
        Assert.DoesNotContain(files, f => Path.GetFileName(f).StartsWith("vc_000001_", StringComparison.Ordinal));
        Assert.False(ring.Stopped);
        Assert.Equal(400, _written[0]);
    }

    [Fact]
    public void A_full_disk_with_OnFull_stop_stops_and_says_why()
    {
        using var ring = Create(new RingSettings { Directory = _dir.Path, MaxFileBytes = 200_000, MinFreePercent = 50, OnFull = StorageFullPolicy.Stop }, FakeDisk(1_000_000));
        for (var i = 0; i < 400 && !ring.Stopped; i++)
        {
            ring.Write(Blocks.Frame(Now + i, 10_000), Now, _written);
            ring.Tick(Now);
        }

        Assert.True(ring.Stopped);
        Assert.Contains("free space is below 50%", ring.StopReason, StringComparison.Ordinal);
        Assert.All(Directory.GetFiles(_dir.Path), Tshark.AssertReadsCleanly);
    }

    [Fact]
    public void A_restarted_ring_continues_the_sequence_and_counts_old_files()
    {
        using (var first = Create(new RingSettings { Directory = _dir.Path, MaxFileDurationNs = 1_000_000_000 }))
        {
            WriteSeconds(first, 3);
            first.Close(Now);
        }

        using var second = Create(new RingSettings { Directory = _dir.Path, MaxFileDurationNs = 1_000_000_000, MaxFiles = 3 });
        Assert.Equal(4, second.Finished.Count);
        second.EnsureOpen(Now);
        Assert.Contains("vc_000005_", second.CurrentPath, StringComparison.Ordinal);

        // The old session's files count against the new session's limit of three.
        Assert.Empty(Directory.GetFiles(_dir.Path, "vc_000001_*"));
        Assert.Empty(Directory.GetFiles(_dir.Path, "vc_000002_*"));
        Assert.Single(Directory.GetFiles(_dir.Path, "vc_000003_*"));
    }

    private void WriteSeconds(RingFileSet ring, int seconds)
    {
        for (var s = 0; s < seconds && !ring.Stopped; s++)
        {
            ring.Write(Blocks.Frame(Now, 200), Now, _written);
            _time.Advance(TimeSpan.FromSeconds(1));
            ring.Tick(Now);
        }
    }

    private static Func<string, (long, long)> FakeDisk(long capacity) =>
        dir => (capacity - Directory.GetFiles(dir).Sum(f => new FileInfo(f).Length), capacity);

    private RingFileSet Create(RingSettings settings, Func<string, (long, long)>? disk = null)
    {
        var header = new ArrayBufferWriter<byte>();
        PcapngBlocks.WriteSectionHeader(header, "test", "test", "test");
        PcapngBlocks.WriteInterfaceDescription(header, "A", "port A", CapturePort.Ethernet, 262144, string.Empty);
        return new RingFileSet(settings, header.WrittenSpan.ToArray(), (now, interfaces) => [], _time, NullLogger.Instance, disk);
    }
}
