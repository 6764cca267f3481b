using VirtCapture.Collector;

namespace VirtCapture.Tests.Unit.Collector;

/// <summary>
/// The decapsulator on frames Scapy built (hex taken from tshark's dump of them), and on every cut and random
/// damage of those frames: it never throws, and whatever it calls a mirrored frame lies inside the outer one.
/// </summary>
public sealed class MirrorDecapsulatorTests
{
    // ERSPAN III, session 12, from 10.0.0.6, ingress, granularity 1 (100 ns), timestamp 1000; the inner frame is tagged.
    private const string ErspanIII = "0200000000b002000000000108004500007000010000402fae4e0a000006c000020a100022eb000000002000000c000003e8000000020050569a20010050569a10068100001e08004500003600010000401163e60a0101070a0101c803ee07d000228ecd0606060606060606060606060606060606060606060606060606";

    // ERSPAN III over IPv6 from 2001:db8::6 with the platform sub-header (ID 7, upper timestamp bits 5).
    private const string ErspanIIIv6 = "0200000000b002000000000286dd6000000000632f4020010db800000000000000000000000620010db8000000000000000000000010100022eb000000002000000c00000000000000031c000000000000050050569a20010050569a100908004500003900010000401163e00a01010a0a0101c803f107d0002555910909090909090909090909090909090909090909090909090909090909";

    // Geneve VNI 6001 from 10.0.0.9 with 8 bytes of options.
    private const string Geneve = "0200000000b002000000000108004500007f000100004011ae5a0a000009c000020ac35017c1006b2fb0020065580017710001028001000000070050569a20010050569a101508004500004500010000401163c80a0101160a0101c803fd07d00031223a1515151515151515151515151515151515151515151515151515151515151515151515151515151515";

    [Fact]
    public void Erspan_III_gives_its_session_direction_timestamp_and_the_tagged_inner_frame()
    {
        var frame = Convert.FromHexString(ErspanIII);
        Assert.Equal(MirrorDecodeStatus.Mirrored, MirrorDecapsulator.Decode(frame, out var packet));
        Assert.Equal(MirrorEncapsulation.ErspanIII, packet.Encapsulation);
        Assert.Equal(12u, packet.SessionId);
        Assert.Equal("10.0.0.6", MirrorSession.Of(packet).Address.ToString());
        Assert.Equal(1u, packet.Direction);
        Assert.Equal(1, packet.Granularity);
        Assert.Equal(1000ul, packet.Timestamp);
        Assert.True(packet.HasSequence);
        Assert.Equal("0050569a2001", Convert.ToHexStringLower(frame.AsSpan(packet.InnerOffset, 6)));
        Assert.Equal(frame.Length - packet.InnerOffset, packet.InnerLength);
    }

    [Fact]
    public void The_platform_sub_header_gives_the_upper_timestamp_bits_and_ipv6_the_source()
    {
        Assert.Equal(MirrorDecodeStatus.Mirrored, MirrorDecapsulator.Decode(Convert.FromHexString(ErspanIIIv6), out var packet));
        Assert.Equal(5ul << 32, packet.Timestamp);
        Assert.Equal("2001:db8::6", MirrorSession.Of(packet).Address.ToString());
        Assert.Equal("ERSPAN III session 12 from 2001:db8::6", MirrorSession.Of(packet).Description);
    }

    [Fact]
    public void Geneve_options_are_skipped_by_their_length()
    {
        var frame = Convert.FromHexString(Geneve);
        Assert.Equal(MirrorDecodeStatus.Mirrored, MirrorDecapsulator.Decode(frame, out var packet));
        Assert.Equal(6001u, packet.SessionId);
        Assert.Equal("0050569a2001", Convert.ToHexStringLower(frame.AsSpan(packet.InnerOffset, 6)));
    }

    [Theory]
    [InlineData(ErspanIII)]
    [InlineData(ErspanIIIv6)]
    [InlineData(Geneve)]
    public void Every_cut_and_random_damage_is_read_without_a_throw_and_stays_inside_the_frame(string hex)
    {
        var whole = Convert.FromHexString(hex);
        for (var length = 0; length <= whole.Length; length++)
        {
            Check(whole.AsSpan(0, length));
        }

        var random = new Random(12);
        var damaged = new byte[whole.Length];
        for (var i = 0; i < 20_000; i++)
        {
            whole.CopyTo(damaged, 0);
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                damaged[random.Next(14, damaged.Length)] = (byte)random.Next(256);
            }

            Check(damaged.AsSpan(0, random.Next(damaged.Length / 2, damaged.Length + 1)));
        }
    }

    private static void Check(ReadOnlySpan<byte> frame)
    {
        if (MirrorDecapsulator.Decode(frame, out var packet) == MirrorDecodeStatus.Mirrored)
        {
            Assert.InRange(packet.InnerOffset, 14, frame.Length - 14);
            Assert.InRange(packet.InnerLength, 14, frame.Length - packet.InnerOffset);
            Assert.True(packet.InnerWireLength >= packet.InnerLength, "the wire length is never less than what is present");
        }
        else if (packet.Status == MirrorDecodeStatus.Malformed)
        {
            Assert.False(string.IsNullOrEmpty(packet.Problem));
        }
    }
}
