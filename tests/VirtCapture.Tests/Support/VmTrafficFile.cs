using System.Buffers.Binary;
using VirtCapture.Format.Pcap;
using VirtCapture.Hal.Replay;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Support;

/// <summary>A capture whose every frame the tests know: VMs of four hypervisors, a physical router, VLANs, announcements.</summary>
public static class VmTrafficFile
{
    public const string VMware = "00:50:56:9a:10:01";
    public const string HyperV = "00:15:5d:01:30:01";
    public const string Kvm = "52:54:00:12:34:56";
    public const string Xen = "00:16:3e:5a:00:01";
    public const string Router = "3c:fd:fe:00:00:01";
    public const string Physical = "3c:fd:fe:00:00:02";

    /// <summary>
    /// VMware on VLAN 20: 10 UDP frames to the router, 5 back. Hyper-V untagged: a gratuitous ARP and 4 UDP frames.
    /// KVM on VLAN 30: a burst of 3 RARPs. Xen untagged: an unsolicited neighbour advertisement and 2 IPv6 frames.
    /// A physical host: 4 frames, the last 3 s after the rest, so that the VMs have gone quiet by then.
    /// </summary>
    public static string Write(string path)
    {
        using var pcap = new ClassicPcapWriter(path);
        var t = TrafficFile.Epoch;
        void Put(byte[] frame) => pcap.Write(t += 1_000_000, frame);
        for (var i = 0; i < 10; i++)
        {
            Put(Udp4(VMware, Router, 20, "10.20.0.11", "10.20.0.1"));
        }

        for (var i = 0; i < 5; i++)
        {
            Put(Udp4(Router, VMware, 20, "10.20.0.1", "10.20.0.11"));
        }

        Put(Arp(HyperV, 0, "192.168.1.31", "192.168.1.31", 1));
        for (var i = 0; i < 4; i++)
        {
            Put(Udp4(HyperV, Physical, 0, "192.168.1.31", "192.168.1.1"));
        }

        for (var i = 0; i < 3; i++)
        {
            Put(Rarp(Kvm, 30));
        }

        Put(NeighborAdvertisement(Xen, "2001:db8::51", solicited: false));
        Put(Udp6(Xen, Physical, "2001:db8::51", "2001:db8::1"));
        Put(Udp6(Xen, Physical, "2001:db8::51", "2001:db8::1"));
        t += 3_000_000_000;
        for (var i = 0; i < 4; i++)
        {
            Put(Udp4(Physical, HyperV, 0, "192.168.1.1", "192.168.1.31"));
        }

        return path;
    }

    private static byte[] Ethernet(string src, string dst, int vlan, ushort type, byte[] payload)
    {
        var header = vlan > 0 ? 18 : 14;
        var frame = new byte[Math.Max(60, header + payload.Length)];
        Convert.FromHexString(dst.Replace(":", string.Empty, StringComparison.Ordinal)).CopyTo(frame, 0);
        Convert.FromHexString(src.Replace(":", string.Empty, StringComparison.Ordinal)).CopyTo(frame, 6);
        if (vlan > 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x8100);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14), (ushort)vlan);
        }

        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(header - 2), type);
        payload.CopyTo(frame, header);
        return frame;
    }

    /// <summary>A UDP/IPv4 frame from <paramref name="src"/> to <paramref name="dst"/>, tagged when <paramref name="vlan"/> is above 0.</summary>
    public static byte[] Udp4(string src, string dst, int vlan, string srcIp, string dstIp)
    {
        var ip = new byte[20 + 8 + 18];
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(2), (ushort)ip.Length);
        ip[8] = 64;
        ip[9] = 17;
        System.Net.IPAddress.Parse(srcIp).GetAddressBytes().CopyTo(ip, 12);
        System.Net.IPAddress.Parse(dstIp).GetAddressBytes().CopyTo(ip, 16);
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(20), 40000);
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(22), 5000);
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(24), 26);
        return Ethernet(src, dst, vlan, 0x0800, ip);
    }

    private static byte[] Udp6(string src, string dst, string srcIp, string dstIp)
    {
        var ip = new byte[40 + 8 + 8];
        ip[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(4), 16);
        ip[6] = 17;
        ip[7] = 64;
        System.Net.IPAddress.Parse(srcIp).GetAddressBytes().CopyTo(ip, 8);
        System.Net.IPAddress.Parse(dstIp).GetAddressBytes().CopyTo(ip, 24);
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(40), 40000);
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(42), 5000);
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(44), 16);
        return Ethernet(src, dst, 0, 0x86dd, ip);
    }

    private static byte[] NeighborAdvertisement(string src, string address, bool solicited)
    {
        var ip = new byte[40 + 24];
        ip[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(4), 24);
        ip[6] = 58;
        ip[7] = 255;
        System.Net.IPAddress.Parse(address).GetAddressBytes().CopyTo(ip, 8);
        System.Net.IPAddress.Parse("ff02::1").GetAddressBytes().CopyTo(ip, 24);
        ip[40] = 136;
        ip[44] = (byte)(solicited ? 0x60 : 0x20); // override flag, solicited only when asked
        System.Net.IPAddress.Parse(address).GetAddressBytes().CopyTo(ip, 48);
        return Ethernet(src, "33:33:00:00:00:01", 0, 0x86dd, ip);
    }

    /// <summary>An ARP frame (a gratuitous one when sender and target are the same address).</summary>
    public static byte[] Arp(string src, int vlan, string senderIp, string targetIp, ushort op)
    {
        var arp = new byte[28];
        BinaryPrimitives.WriteUInt16BigEndian(arp, 1);
        BinaryPrimitives.WriteUInt16BigEndian(arp.AsSpan(2), 0x0800);
        arp[4] = 6;
        arp[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(arp.AsSpan(6), op);
        Convert.FromHexString(src.Replace(":", string.Empty, StringComparison.Ordinal)).CopyTo(arp, 8);
        System.Net.IPAddress.Parse(senderIp).GetAddressBytes().CopyTo(arp, 14);
        System.Net.IPAddress.Parse(targetIp).GetAddressBytes().CopyTo(arp, 24);
        return Ethernet(src, "ff:ff:ff:ff:ff:ff", vlan, 0x0806, arp);
    }

    private static byte[] Rarp(string src, int vlan)
    {
        var rarp = new byte[28];
        BinaryPrimitives.WriteUInt16BigEndian(rarp, 1);
        BinaryPrimitives.WriteUInt16BigEndian(rarp.AsSpan(2), 0x0800);
        rarp[4] = 6;
        rarp[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(rarp.AsSpan(6), 3);
        Convert.FromHexString(src.Replace(":", string.Empty, StringComparison.Ordinal)).CopyTo(rarp, 8);
        Convert.FromHexString(src.Replace(":", string.Empty, StringComparison.Ordinal)).CopyTo(rarp, 18);
        return Ethernet(src, "ff:ff:ff:ff:ff:ff", vlan, 0x8035, rarp);
    }
}
