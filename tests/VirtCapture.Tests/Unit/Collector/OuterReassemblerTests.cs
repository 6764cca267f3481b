using System.Buffers.Binary;
using VirtCapture.Collector;

namespace VirtCapture.Tests.Unit.Collector;

/// <summary>Reassembly is bounded and counted: a flood of fragments that never complete costs 64 slots, not memory.</summary>
public sealed class OuterReassemblerTests
{
    [Fact]
    public void A_flood_of_first_fragments_keeps_64_datagrams_and_counts_every_one_given_up()
    {
        var reassembler = new OuterReassembler();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var id = 0; id < 10_000; id++)
        {
            Assert.False(reassembler.TryAdd(Fragment((ushort)id, offset: 0, more: true, 64), 14, 1_000_000_000 + id, out _));
        }

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 80_000 + (10_000 * 200), "memory stays bounded by the 64 slots");
        Assert.Equal(10_000 - OuterReassembler.MaxDatagrams, reassembler.GivenUp);
        reassembler.GiveUpAll();
        Assert.Equal(10_000, reassembler.GivenUp);
        Assert.Equal(0, reassembler.Reassembled);
    }

    [Fact]
    public void Fragments_in_any_order_make_the_datagram_and_contradicting_ones_lose_it()
    {
        var reassembler = new OuterReassembler();
        Assert.False(reassembler.TryAdd(Fragment(7, offset: 16, more: false, 8), 14, 0, out _));
        Assert.False(reassembler.TryAdd(Fragment(7, offset: 8, more: true, 8), 14, 0, out _));
        Assert.True(reassembler.TryAdd(Fragment(7, offset: 0, more: true, 8), 14, 0, out var whole));
        Assert.Equal(14 + 20 + 24, whole.Length);
        Assert.Equal(20 + 24, BinaryPrimitives.ReadUInt16BigEndian(whole[16..]));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(whole[20..]));
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 8, 8, 8, 8, 8, 8, 8, 8, 16, 16, 16, 16, 16, 16, 16, 16], whole[34..].ToArray());

        // A second "last" fragment ending elsewhere, and a middle one not a multiple of 8: the datagram is lost.
        Assert.False(reassembler.TryAdd(Fragment(8, offset: 16, more: false, 8), 14, 0, out _));
        Assert.False(reassembler.TryAdd(Fragment(8, offset: 24, more: false, 8), 14, 0, out _));
        Assert.False(reassembler.TryAdd(Fragment(9, offset: 0, more: true, 5), 14, 0, out _));
        Assert.Equal((1, 2), (reassembler.Reassembled, reassembler.GivenUp));
    }

    [Fact]
    public void A_datagram_waits_two_seconds_of_frame_time_for_its_fragments()
    {
        var reassembler = new OuterReassembler();
        Assert.False(reassembler.TryAdd(Fragment(1, offset: 0, more: true, 8), 14, 0, out _));
        reassembler.Expire(OuterReassembler.TimeoutNs);
        Assert.Equal(0, reassembler.GivenUp);
        reassembler.Expire(OuterReassembler.TimeoutNs + 1);
        Assert.Equal(1, reassembler.GivenUp);
        Assert.False(reassembler.TryAdd(Fragment(1, offset: 8, more: false, 8), 14, OuterReassembler.TimeoutNs + 1, out _));
    }

    // Ethernet / IPv4 10.0.0.1 → 192.0.2.10, UDP protocol, fragment of ID at OFFSET with LENGTH bytes of value OFFSET.
    private static byte[] Fragment(ushort id, int offset, bool more, int length)
    {
        var frame = new byte[14 + 20 + length];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
        var ip = frame.AsSpan(14);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + length));
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], id);
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], (ushort)((more ? 0x2000 : 0) | (offset / 8)));
        ip[8] = 64;
        ip[9] = 17;
        ip[12] = 10;
        ip[15] = 1;
        ip[16] = 192;
        ip[18] = 2;
        ip[19] = 10;
        ip[20..].Fill((byte)offset);
        return frame;
    }
}
