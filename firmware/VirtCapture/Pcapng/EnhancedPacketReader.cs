using VirtCapture.Hal.Frames;

namespace VirtCapture.Pcapng;

/// <summary>Reads the box's own enhanced packet blocks (a buffer segment, a ring file) back as frames.</summary>
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
        var reader = new PcapngBlockReader(blocks);
        if (!reader.TryRead(out var block))
        {
            return 0;
        }

        if (block.IsPacket)
        {
            frame = ToFrame(block);
            data = block.PacketData;
            isFrame = true;
        }

        return block.Length;
    }

    /// <summary>The frame an enhanced packet block holds (check <see cref="PcapngBlock.IsPacket"/> first).</summary>
    public static FrameRecord ToFrame(in PcapngBlock block) => new()
    {
        Port = (ushort)block.Interface,
        TimestampNs = block.Timestamp,
        CapturedLength = block.CapturedLength,
        WireLength = block.WireLength,
        Direction = (FrameDirection)(block.PacketFlags & 3),
    };
}
