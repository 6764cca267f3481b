using VirtCapture.Hal.Frames;
using VirtCapture.Pcapng;

namespace VirtCapture.Tests.Support;

/// <summary>Builds enhanced packet blocks the way the capture buffer does, for feeding the ring directly.</summary>
public static class Blocks
{
    public static byte[] Frame(long timestampNs, int length, int iface = 0)
    {
        var block = new byte[PcapngBlocks.EnhancedPacketLength(length, (uint)FrameDirection.Inbound, 0)];
        block.AsSpan(28, length).Fill(0x42);
        PcapngBlocks.CompleteEnhancedPacket(block, iface, timestampNs, length, length, (uint)FrameDirection.Inbound, 0);
        return block;
    }
}
