using System.Buffers.Binary;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Pcapng;

/// <summary>Walks the enhanced packet blocks of a run of our own blocks (a buffer segment), in place.</summary>
internal static class EnhancedPacketReader
{
    /// <summary>
    /// Reads the block at the start of <paramref name="blocks"/>: a frame (with data) or anything else.
    /// Returns the block's length, or 0 at the end or on a malformed block.
    /// </summary>
    public static int Next(ReadOnlySpan<byte> blocks, out bool isFrame, out FrameRecord frame, out ReadOnlySpan<byte> data)
    {
        isFrame = false;
        frame = default;
        data = default;
        if (blocks.Length < 12)
        {
            return 0;
        }

        var type = BinaryPrimitives.ReadUInt32LittleEndian(blocks);
        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(blocks[4..]);
        if (length < 12 || length > blocks.Length)
        {
            return 0;
        }

        if (type != PcapngBlocks.EnhancedPacketType || length < 32)
        {
            return length;
        }

        var captured = (int)BinaryPrimitives.ReadUInt32LittleEndian(blocks[20..]);
        if (captured == 0 || 28 + captured > length)
        {
            return length;
        }

        var direction = FrameDirection.Unknown;
        var options = blocks[(28 + PcapngBlocks.Align4(captured))..(length - 4)];
        if (options.Length >= 8 && BinaryPrimitives.ReadUInt16LittleEndian(options) == 2)
        {
            direction = (FrameDirection)(BinaryPrimitives.ReadUInt32LittleEndian(options[4..]) & 3);
        }

        frame = new FrameRecord
        {
            Port = (ushort)BinaryPrimitives.ReadUInt32LittleEndian(blocks[8..]),
            TimestampNs = ((long)BinaryPrimitives.ReadUInt32LittleEndian(blocks[12..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(blocks[16..]),
            CapturedLength = captured,
            WireLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(blocks[24..]),
            Direction = direction,
        };
        data = blocks.Slice(28, captured);
        isFrame = true;
        return length;
    }
}
