using System.Buffers.Binary;
using VirtCapture.Collector;

namespace VirtCapture.Tests.Unit.Collector;

/// <summary>The second copy of a mirrored frame is recognized a hop later, and nothing else is.</summary>
public sealed class DuplicateWindowTests
{
    private const long Window = 5_000_000;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_copy_a_hop_later_is_a_duplicate_with_or_without_a_vlan_tag(bool tagged)
    {
        var window = new DuplicateWindow(Window);
        var first = Ipv4(ttl: 64, checksum: 0x1234, payload: 1, tagged);
        Assert.False(window.IsDuplicate(first, MirrorEncapsulation.Vxlan, 5001, 1_000));
        Assert.True(window.IsDuplicate(Ipv4(ttl: 63, checksum: 0x1334, payload: 1, tagged), MirrorEncapsulation.Vxlan, 5001, 200_000));
    }

    [Fact]
    public void Other_bytes_another_vni_or_a_copy_after_the_window_are_new_frames()
    {
        var window = new DuplicateWindow(Window);
        Assert.False(window.IsDuplicate(Ipv4(64, 1, payload: 1), MirrorEncapsulation.Vxlan, 5001, 0));
        Assert.False(window.IsDuplicate(Ipv4(64, 1, payload: 2), MirrorEncapsulation.Vxlan, 5001, 1_000));
        Assert.False(window.IsDuplicate(Ipv4(64, 1, payload: 1), MirrorEncapsulation.Vxlan, 5002, 2_000));
        Assert.False(window.IsDuplicate(Ipv4(64, 1, payload: 1), MirrorEncapsulation.Geneve, 5001, 3_000));
        Assert.False(window.IsDuplicate(Ipv4(64, 1, payload: 1), MirrorEncapsulation.Vxlan, 5001, Window + 1));
    }

    [Fact]
    public void An_ipv6_copy_differs_only_in_its_hop_limit()
    {
        var window = new DuplicateWindow(Window);
        var frame = new byte[14 + 40 + 8];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x86DD);
        frame[14] = 0x60;
        frame[14 + 7] = 64;
        frame[^1] = 9;
        Assert.False(window.IsDuplicate(frame, MirrorEncapsulation.ErspanIII, 12, 0));
        frame[14 + 7] = 63;
        Assert.True(window.IsDuplicate(frame, MirrorEncapsulation.ErspanIII, 12, 10));
        frame[^1] = 10;
        Assert.False(window.IsDuplicate(frame, MirrorEncapsulation.ErspanIII, 12, 20));
    }

    private static byte[] Ipv4(byte ttl, ushort checksum, byte payload, bool tagged = false)
    {
        var tag = tagged ? 4 : 0;
        var frame = new byte[14 + tag + 20 + 8];
        if (tagged)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x8100);
            frame[15] = 20;
        }

        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12 + tag), 0x0800);
        var ip = frame.AsSpan(14 + tag);
        ip[0] = 0x45;
        ip[8] = ttl;
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], checksum);
        ip[^1] = payload;
        return frame;
    }
}
