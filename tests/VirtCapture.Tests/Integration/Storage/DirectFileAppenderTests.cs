using System.Buffers;
using System.Globalization;
using VirtCapture.Hal.Interop;
using VirtCapture.Hal.Frames;
using VirtCapture.Pcapng;
using VirtCapture.Pipeline;
using VirtCapture.Storage;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Storage;

/// <summary>
/// Buffer segments written to an O_DIRECT file from where they lie: the file holds exactly the blocks appended (the
/// padding in front of each segment aside), and tshark, tcpdump and repair read every frame of it.
/// </summary>
public sealed class DirectFileAppenderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Segments_written_in_place_hold_exactly_the_frames_appended_and_every_reader_skips_the_padding()
    {
        var path = _dir.File("ring.pcapng");
        var header = new ArrayBufferWriter<byte>();
        PcapngBlocks.WriteSectionHeader(header, "test", "linux", "virtcapture");
        PcapngBlocks.WriteInterfaceDescription(header, "a0", "port A", 1, 65535, string.Empty);
        using var expected = new MemoryStream();
        expected.Write(header.WrittenSpan);
        var random = new Random(11);
        var timestamp = 1_790_000_000_000_000_000L;
        var frames = 0L;
        bool direct;
        using (var file = new DirectFileAppender(path, header.WrittenSpan, direct: true, PcapngBlocks.WritePadding))
        {
            var segment = new BufferSegment(1 << 20, 1);
            for (var round = 0; round < 14; round++)
            {
                // Segments full and part-full (a published one), some under the in-place minimum.
                var fill = (round % 3) switch { 0 => segment.Capacity, 1 => 300 << 10, _ => 100 << 10 };
                segment.Reset();
                while (true)
                {
                    var length = random.Next(60, 1515);
                    var size = PcapngBlocks.EnhancedPacketLength(length, (uint)FrameDirection.Inbound, 0);
                    if (segment.Length + size > fill)
                    {
                        break;
                    }

                    var block = segment.Data.Slice(segment.Length, size);
                    random.NextBytes(block.Slice(28, length));
                    PcapngBlocks.CompleteEnhancedPacket(block, 0, timestamp += 1000, length, length, (uint)FrameDirection.Inbound, 0);
                    segment.Length += size;
                    frames++;
                }

                file.Append(segment.BlocksWithHeadroom, BufferSegment.Headroom);
                expected.Write(segment.Blocks);
                if (round % 4 == 1)
                {
                    var small = Blocks.Frame(timestamp += 1000, 100);
                    file.Append(small);
                    expected.Write(small);
                    frames++;
                }

                if (round % 5 == 2)
                {
                    // The unfinished page through the page cache; the next segment rewrites it in place.
                    file.Flush();
                }

                if (round == 7)
                {
                    file.Sync();
                }
            }

            direct = file.IsDirect;
            file.Flush();
        }

        var data = File.ReadAllBytes(path);
        var blocks = PcapngBlockWalker.WholeBlocks(data);
        Assert.Equal(data.Length, blocks.Sum(b => (long)b.Length));
        var padding = blocks.Where(b => b.Type == PcapngBlocks.PaddingType).ToList();
        var kept = blocks.Where(b => b.Type != PcapngBlocks.PaddingType).SelectMany(b => data.AsSpan((int)b.Offset, b.Length).ToArray()).ToArray();
        Assert.Equal(expected.ToArray(), kept);
        if (direct)
        {
            // Every segment of 256 KiB and more (10) went in place: a padding block in front ends on a disk page
            // (none where the file already ended on one).
            Assert.InRange(padding.Count, 8, 10);
            Assert.All(padding, p => Assert.Equal(0, (p.Offset + p.Length) % 4096));
        }

        Tshark.AssertReadsCleanly(path);
        Assert.Equal(frames, Tshark.CapinfosPackets(path));
        var tcpdump = Run.Program("tcpdump", "-r", path, "-nn", "-q");
        Assert.Equal(frames, tcpdump.Lines.Length);
        var repaired = PcapngRepair.Repair(path);
        Assert.Equal(0, repaired.CutBytes);
        Assert.Equal(frames, repaired.Frames);
    }

    // On a file system in memory the page cache is the storage: O_DIRECT would skip no copy, so the appender leaves
    // it off. /dev/shm is the tmpfs every Linux machine has.
    [Fact]
    public void A_file_on_tmpfs_is_written_through_the_page_cache()
    {
        using var dir = new TempDirectory("/dev/shm");
        var path = dir.File("f.pcapng");
        using (var file = new DirectFileAppender(path, Blocks.Frame(1000, 100), direct: true, PcapngBlocks.WritePadding))
        {
            Assert.False(file.IsDirect, "O_DIRECT on tmpfs");
            file.Append(Blocks.Frame(2000, 100));
            file.Flush();
        }

        Assert.Equal(2, PcapngBlockWalker.WholeBlocks(File.ReadAllBytes(path)).Count);
    }

    // The magic numbers the appender compares f_type with, against what the kernel reports (stat -f). The ramfs is
    // mounted in a mount namespace of its own, which dies with the command, so the test host's mounts never change.
    [RootFact]
    public void The_in_memory_file_systems_are_known_by_the_numbers_the_kernel_reports()
    {
        var dir = Directory.CreateTempSubdirectory("vc-ramfs-").FullName;
        try
        {
            var ramfs = Run.Program("unshare", "-m", "sh", "-c", "mount -t ramfs vcramfs \"$0\" && stat -f -c %t \"$0\"", dir);
            Assert.True(ramfs.ExitCode == 0, $"ramfs: {ramfs.StdErr}");
            Assert.Equal(ramfs.StdOut.Trim(), StatfsBuffer.RamfsMagic.ToString("x", CultureInfo.InvariantCulture));
        }
        finally
        {
            Directory.Delete(dir);
        }

        var tmpfs = Run.Program("stat", "-f", "-c", "%t", "/dev/shm");
        Assert.Equal(tmpfs.StdOut.Trim(), StatfsBuffer.TmpfsMagic.ToString("x", CultureInfo.InvariantCulture));
    }
}
