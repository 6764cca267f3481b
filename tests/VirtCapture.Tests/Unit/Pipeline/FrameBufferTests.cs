using VirtCapture.Hal.Frames;
using VirtCapture.Tests.Support;
using VirtCapture.Pcapng;
using VirtCapture.Pipeline;

namespace VirtCapture.Tests.Unit.Pipeline;

/// <summary>The buffer between capture and disk: whole blocks in order, frames counted per port, drops when full.</summary>
public sealed class FrameBufferTests
{
    private static readonly byte[] Bytes = new byte[100];

    [Fact]
    public void Frames_come_out_in_order_as_whole_blocks_with_their_ports_counted()
    {
        using var buffer = new FrameBuffer(totalBytes: 64 * 1024, segmentBytes: 16 * 1024, ports: 2, dropWhenFull: true, TimeSpan.FromSeconds(10));
        for (var i = 0; i < 300; i++)
        {
            var frame = new FrameRecord { TimestampNs = i, CapturedLength = 100, WireLength = 100, Port = (ushort)(i % 3 == 0 ? 1 : 0) };
            Assert.True(buffer.AppendOne(frame, Bytes) || i > 0, "the first frame always fits");
        }

        buffer.Complete();
        var timestamps = new List<long>();
        long port1 = 0;
        while (buffer.Take(TimeSpan.FromMilliseconds(10)) is { } segment)
        {
            port1 += segment.FramesPerPort[1];
            var blocks = segment.Blocks;
            var index = 0;
            while (EnhancedPacketReader.Next(blocks, out var isFrame, out var frame, out _) is var length and > 0)
            {
                Assert.True(isFrame);
                // The segment's own index points at each frame's block, in order.
                Assert.Equal(segment.Length - blocks.Length, segment.FrameOffsets[index++]);
                timestamps.Add(frame.TimestampNs);
                blocks = blocks[length..];
            }

            Assert.Equal(segment.Frames, index);

            Assert.Equal(0, blocks.Length);
            buffer.Return(segment);
        }

        Assert.True(buffer.IsDrained);
        Assert.Equal(timestamps.Order(), timestamps);
        Assert.Equal(timestamps.Count(t => t % 3 == 0), port1);
    }

    [Fact]
    public void Block_observers_see_every_frame_once_in_order_before_the_writer_gets_its_segment()
    {
        using var buffer = new FrameBuffer(totalBytes: 64 * 1024, segmentBytes: 4 * 1024, ports: 1, dropWhenFull: false, TimeSpan.FromHours(1));
        var observer = new RecordingObserver();
        buffer.AddObserver(observer, [new CapturePort("A", "a0", 1)]);
        var taken = new List<long>();
        for (var i = 0; i < 200; i++)
        {
            var frame = new FrameRecord { TimestampNs = i, CapturedLength = 100, WireLength = 100 };
            Assert.True(buffer.AppendOne(frame, Bytes));
            // Shown in uneven slices, some of which a new segment cuts in two; some frames are never shown by a slice
            // (the last ones, and those before a segment fills): publishing shows them.
            if (i % 11 == 10)
            {
                buffer.ShowAppended();
            }

            while (buffer.Take(TimeSpan.Zero) is { } segment)
            {
                Take(segment);
            }
        }

        buffer.Complete();
        while (buffer.Take(TimeSpan.Zero) is { } segment)
        {
            Take(segment);
        }

        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), observer.Seen);
        Assert.Equal(observer.Seen, taken);

        void Take(BufferSegment segment)
        {
            // Everything the writer gets was shown first.
            Assert.True(observer.Seen.Count >= taken.Count + segment.Frames, $"segment of {segment.Frames} frames handed over before it was shown");
            for (var f = 0; f < segment.Frames; f++)
            {
                taken.Add(BitConverter.ToUInt32(segment.Blocks[(segment.FrameOffsets[f] + 16)..]));
            }

            buffer.Return(segment);
        }
    }

    [Fact]
    public void A_batch_carries_each_ports_pending_drops_and_each_frames_comment_on_the_right_block_across_segments()
    {
        // Segments of 1 KiB hold seven 100-byte frames: the batch of 40 straddles five of them.
        using var buffer = new FrameBuffer(totalBytes: 64 * 1024, segmentBytes: 1024, ports: 2, dropWhenFull: false, TimeSpan.FromHours(1));
        var data = new byte[40 * 100];
        var records = new FrameRecord[40];
        for (var i = 0; i < records.Length; i++)
        {
            data[i * 100] = (byte)i;
            records[i] = new FrameRecord { TimestampNs = i, Offset = i * 100, CapturedLength = 100, WireLength = 1500, Port = (ushort)(i % 2), Direction = FrameDirection.Inbound };
        }

        var comments = new FrameComments();
        comments.Add(9, "nine"u8.ToArray());
        comments.Add(30, "thirty"u8.ToArray());
        long[] pending = [3, 5];
        // Every frame but the filtered 7 and 8; a snaplen of 64.
        int[] kept = [.. Enumerable.Range(0, 40).Where(i => i is not (7 or 8))];
        Assert.Equal(kept.Length, buffer.Append(new FrameBatch(data, records), kept, 64, pending, comments, CancellationToken.None));
        Assert.Equal([0L, 0L], pending);

        buffer.Complete();
        var seen = new List<(int First, uint Port, long Drops, string? Comment, int Captured, int Wire)>();
        while (buffer.Take(TimeSpan.Zero) is { } segment)
        {
            var reader = new PcapngBlockReader(segment.Blocks);
            while (reader.TryRead(out var block))
            {
                Assert.True(block.IsPacket);
                string? comment = null;
                var options = block.PacketOptions;
                while (options.TryRead(out var code, out var value))
                {
                    comment = code == 1 ? System.Text.Encoding.UTF8.GetString(value) : comment;
                }

                Assert.Equal(1u, block.PacketFlags);
                seen.Add((block.PacketData[0], block.Interface, block.PacketDropCount, comment, block.CapturedLength, block.WireLength));
            }

            buffer.Return(segment);
        }

        Assert.Equal(kept, seen.Select(f => f.First));
        Assert.All(seen, f => Assert.Equal((64, 1500), (f.Captured, f.Wire)));
        Assert.All(seen, f => Assert.Equal(f.First % 2, (int)f.Port));
        // Port 0's drops on its first frame (0), port 1's on its first (1); no other frame reports any.
        Assert.Equal([(0, 3L), (1, 5L)], seen.Where(f => f.Drops != 0).Select(f => (f.First, f.Drops)));
        Assert.Equal([(9, "nine"), (30, "thirty")], seen.Where(f => f.Comment is not null).Select(f => (f.First, f.Comment!)));
    }

    private sealed class RecordingObserver : IBlockObserver
    {
        public List<long> Seen { get; } = [];

        public void BlocksAppended(BufferSegment segment, int firstFrame, IReadOnlyList<CapturePort> ports)
        {
            Assert.Single(ports);
            for (var f = firstFrame; f < segment.Frames; f++)
            {
                // The timestamp's low word, at offset 16 of the enhanced packet block.
                Seen.Add(BitConverter.ToUInt32(segment.Blocks[(segment.FrameOffsets[f] + 16)..]));
            }
        }
    }

    [Fact]
    public void A_full_buffer_refuses_frames_instead_of_waiting_when_it_may_drop()
    {
        using var buffer = new FrameBuffer(totalBytes: 32 * 1024, segmentBytes: 16 * 1024, ports: 1, dropWhenFull: true, TimeSpan.FromSeconds(10));
        var accepted = 0;
        var refused = 0;
        for (var i = 0; i < 2000; i++)
        {
            var frame = new FrameRecord { TimestampNs = i, CapturedLength = 100, WireLength = 100 };
            if (buffer.AppendOne(frame, Bytes))
            {
                accepted++;
            }
            else
            {
                refused++;
            }
        }

        Assert.True(refused > 0, "nobody takes segments: the buffer fills and drops");
        // What it holds is what its segments hold: 132-byte blocks (32 of header and trailer, 100 of frame).
        Assert.InRange(accepted, 1, buffer.SegmentCount * (16 * 1024 / 132));
    }

    [Fact]
    public void A_frame_no_segment_can_hold_or_one_outside_its_batch_is_refused_with_its_size_instead_of_looping()
    {
        using var buffer = new FrameBuffer(totalBytes: 16 * 1024, segmentBytes: 1024, ports: 1, dropWhenFull: false, TimeSpan.FromHours(1));
        var big = new FrameRecord { CapturedLength = 2000, WireLength = 2000 };
        var tooBig = Assert.Throws<ArgumentException>(() => buffer.Append(new FrameBatch(new byte[2000], [big]), [0], Slicer.MaxSnaplen, new long[1], null, CancellationToken.None));
        Assert.Contains("2000 bytes", tooBig.Message, StringComparison.Ordinal);
        Assert.Contains("1024 bytes", tooBig.Message, StringComparison.Ordinal);

        var outside = new FrameRecord { Offset = 60, CapturedLength = 60, WireLength = 60 };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Append(new FrameBatch(new byte[100], [outside]), [0], 64, new long[1], null, CancellationToken.None));
        Assert.Contains("outside its batch of 100 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_comment_on_a_frame_the_filter_dropped_neither_cuts_the_segment_short_nor_stops_the_capture()
    {
        using var buffer = new FrameBuffer(totalBytes: 64 * 1024, segmentBytes: 16 * 1024, ports: 1, dropWhenFull: false, TimeSpan.FromHours(1));
        var data = new byte[40 * 100];
        var records = new FrameRecord[40];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = new FrameRecord { TimestampNs = i, Offset = i * 100, CapturedLength = 100, WireLength = 100 };
        }

        // The annotators comment before the filter: frame 5 announced something, and the filter then dropped it.
        var comments = new FrameComments();
        comments.Add(5, "dropped"u8.ToArray());
        comments.Add(20, "kept"u8.ToArray());
        int[] kept = [.. Enumerable.Range(0, 40).Where(i => i != 5)];
        Assert.Equal(kept.Length, buffer.Append(new FrameBatch(data, records), kept, 128, new long[1], comments, CancellationToken.None));

        buffer.Complete();
        var segments = new List<BufferSegment>();
        while (buffer.Take(TimeSpan.Zero) is { } segment)
        {
            segments.Add(segment);
        }

        // 39 blocks of 132 bytes and one with a comment fit one 16 KiB segment.
        var only = Assert.Single(segments);
        Assert.Equal(39, only.Frames);
    }

    [Fact]
    public void Comments_added_out_of_order_are_found_in_frame_order()
    {
        var comments = new FrameComments();
        comments.Add(30, "thirty"u8.ToArray());
        comments.Add(9, "nine"u8.ToArray());
        Assert.Equal(9, comments.NextAtOrAfter(0));
        Assert.Equal(9, comments.NextAtOrAfter(9));
        Assert.Equal("nine", System.Text.Encoding.UTF8.GetString(comments.Take(9)));
        Assert.Equal(30, comments.NextAtOrAfter(10));
        Assert.True(comments.Take(29).IsEmpty);
        Assert.Equal("thirty", System.Text.Encoding.UTF8.GetString(comments.Take(30)));
        Assert.Equal(int.MaxValue, comments.NextAtOrAfter(31));
    }

    [Fact]
    public void A_frame_commented_twice_out_of_order_keeps_its_first_comment()
    {
        var comments = new FrameComments();
        comments.Add(30, "announcement"u8.ToArray());
        comments.Add(9, "trigger"u8.ToArray());
        comments.Add(30, "second"u8.ToArray());
        comments.Add(9, "late"u8.ToArray());
        Assert.Equal("trigger", System.Text.Encoding.UTF8.GetString(comments.Take(9)));
        Assert.Equal(30, comments.NextAtOrAfter(10));
        Assert.Equal("announcement", System.Text.Encoding.UTF8.GetString(comments.Take(30)));
    }
}
