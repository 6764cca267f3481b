using VirtCapture.Hal.Frames;
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
            Assert.True(buffer.TryAppend(frame, Bytes, 100, 0, CancellationToken.None) || i > 0, "the first frame always fits");
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
            Assert.True(buffer.TryAppend(frame, Bytes, 100, 0, CancellationToken.None));
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
            if (buffer.TryAppend(frame, Bytes, 100, 0, CancellationToken.None))
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
}
