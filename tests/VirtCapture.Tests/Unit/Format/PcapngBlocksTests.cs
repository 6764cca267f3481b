using VirtCapture.Hal.Frames;
using VirtCapture.Pcapng;

namespace VirtCapture.Tests.Unit.Format;

/// <summary>The block encoder and the in-memory reader agree on every field, and the reader refuses what is not whole.</summary>
public sealed class PcapngBlocksTests
{
    [Theory]
    [InlineData(60, FrameDirection.Inbound)]
    [InlineData(61, FrameDirection.Outbound)]
    [InlineData(62, FrameDirection.Unknown)]
    [InlineData(1, FrameDirection.Inbound)]
    [InlineData(1503, FrameDirection.Unknown)]
    public void The_plain_encoder_writes_the_same_block_as_the_general_one(int captured, FrameDirection direction)
    {
        var data = Enumerable.Range(0, captured).Select(i => (byte)(i * 13)).ToArray();
        // Both over garbage, so that a byte either leaves unwritten (the frame's padding) shows.
        var general = Enumerable.Repeat((byte)0xEE, PcapngBlocks.EnhancedPacketLength(captured, (uint)direction, 0)).ToArray();
        var plain = Enumerable.Repeat((byte)0xEE, PcapngBlocks.PlainEnhancedPacketLength(captured, (uint)direction)).ToArray();
        data.CopyTo(general, 28);
        data.CopyTo(plain, 28);
        PcapngBlocks.CompleteEnhancedPacket(general, 2, 1_764_000_000_123_456_789, captured, 9000, (uint)direction, 0);
        PcapngBlocks.CompletePlainEnhancedPacket(plain, 2, 1_764_000_000_123_456_789, captured, 9000, (uint)direction);
        Assert.Equal(general, plain);
        Assert.Null(PcapngBlockCheck.Problem(plain, interfaces: 3));
        Assert.Throws<ArgumentException>(() => PcapngBlocks.CompletePlainEnhancedPacket(plain.AsSpan(0, plain.Length - 4), 2, 0, captured, 9000, (uint)direction));
    }

    [Theory]
    [InlineData(60, 60, FrameDirection.Inbound, 0L)]
    [InlineData(61, 1514, FrameDirection.Outbound, 7L)]
    [InlineData(1, 9000, FrameDirection.Unknown, 0L)]
    public void An_encoded_packet_block_reads_back_field_for_field(int captured, int wire, FrameDirection direction, long drops)
    {
        var data = Enumerable.Range(0, captured).Select(i => (byte)(i * 7)).ToArray();
        var block = new byte[PcapngBlocks.EnhancedPacketLength(captured, (uint)direction, drops)];
        data.CopyTo(block, 28);
        PcapngBlocks.CompleteEnhancedPacket(block, 1, 1_764_000_000_123_456_789, captured, wire, (uint)direction, drops);

        var length = EnhancedPacketReader.Next(block, out var isFrame, out var frame, out var read);
        Assert.Equal(block.Length, length);
        Assert.Equal(0, block.Length % 4);
        Assert.True(isFrame);
        Assert.Equal(1, frame.Port);
        Assert.Equal(1_764_000_000_123_456_789, frame.TimestampNs);
        Assert.Equal(captured, frame.CapturedLength);
        Assert.Equal(wire, frame.WireLength);
        Assert.Equal(data, read.ToArray());
        Assert.Null(PcapngBlockCheck.Problem(block, interfaces: 2));
    }

    [Theory]
    [InlineData(12)]
    [InlineData(4108)]
    public void A_padding_block_is_skipped_as_no_frame_and_only_zeros_pass_as_padding(int length)
    {
        var block = new byte[length];
        block.AsSpan().Fill(0xee);
        PcapngBlocks.WritePadding(block);
        Assert.Equal(block.Length, EnhancedPacketReader.Next(block, out var isFrame, out _, out _));
        Assert.False(isFrame);
        Assert.Null(PcapngBlockCheck.Problem(block, interfaces: 1));
        if (length > 12)
        {
            block[length / 2] = 1;
            Assert.Equal("padding block that is not zeros", PcapngBlockCheck.Problem(block, interfaces: 1));
        }

        Assert.Throws<ArgumentException>(() => PcapngBlocks.WritePadding(new byte[8]));
        Assert.Throws<ArgumentException>(() => PcapngBlocks.WritePadding(new byte[14]));
    }

    [Fact]
    public void A_comment_block_is_not_a_frame_and_is_well_formed()
    {
        var block = PcapngBlocks.CommentPacket(0, 1_000, "MARK 1");
        var length = EnhancedPacketReader.Next(block, out var isFrame, out _, out _);
        Assert.Equal(block.Length, length);
        Assert.False(isFrame);
        Assert.Null(PcapngBlockCheck.Problem(block, interfaces: 1));
    }

    [Fact]
    public void A_cut_block_is_not_read()
    {
        var block = new byte[PcapngBlocks.EnhancedPacketLength(60, (uint)FrameDirection.Inbound, 0)];
        PcapngBlocks.CompleteEnhancedPacket(block, 0, 1, 60, 60, (uint)FrameDirection.Inbound, 0);
        Assert.Equal(0, EnhancedPacketReader.Next(block.AsSpan(0, block.Length - 4), out _, out _, out _));
        Assert.Equal(0, EnhancedPacketReader.Next(block.AsSpan(0, 8), out _, out _, out _));
    }
}
