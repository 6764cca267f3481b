using System.Buffers.Binary;

namespace VirtCapture.Hal.Synthetic;

/// <summary>
/// Generates VM-like Ethernet traffic: several hypervisors' virtual MACs and physical peers, VLAN tags, IPv4 and
/// IPv6 UDP and TCP with IMIX frame sizes (7:4:1 of 64, 576 and 1500 bytes), and now and then a RARP announcement
/// of a migrated VM or a gratuitous ARP. Deterministic for a given seed, so tests can count what they asked for.
/// </summary>
public sealed class SyntheticTraffic
{
    /// <summary>The largest frame it writes (1500-byte payload, Ethernet header and a VLAN tag).</summary>
    public const int MaxFrameLength = 1518;

    private static readonly int[] ImixSizes = [64, 64, 64, 64, 64, 64, 64, 576, 576, 576, 576, 1500];
    private readonly SyntheticHost[] _vms;
    private readonly SyntheticHost[] _peers;
    private readonly int _announceEvery;
    private ulong _state;
    private long _sequence;

    /// <summary>Creates a generator.</summary>
    /// <param name="seed">PRNG seed.</param>
    /// <param name="announceEvery">One frame in this many is a RARP or gratuitous ARP announcement (0 = never).</param>
    public SyntheticTraffic(ulong seed = 1, int announceEvery = 500)
    {
        _state = seed == 0 ? 0x9E3779B97F4A7C15UL : seed;
        _announceEvery = announceEvery;
        _vms =
        [
            Host("00:50:56:9a:10:01", 10, "10.10.0.11", 0), // VMware
            Host("00:50:56:9a:10:02", 10, "10.10.0.12", 0),
            Host("00:0c:29:3e:22:01", 20, "10.20.0.21", 0),
            Host("00:15:5d:01:30:01", 20, "10.20.0.31", 0), // Hyper-V
            Host("52:54:00:12:34:56", 0, "192.168.1.41", 0), // KVM
            Host("00:16:3e:5a:00:01", 30, "10.30.0.51", 0), // Xen
        ];
        _peers =
        [
            Host("3c:fd:fe:00:00:01", 10, "10.10.0.1", 1), // physical router legs
            Host("3c:fd:fe:00:00:01", 20, "10.20.0.1", 1),
            Host("3c:fd:fe:00:00:01", 30, "10.30.0.1", 1),
            Host("3c:fd:fe:00:00:02", 0, "192.168.1.1", 1),
        ];
    }

    /// <summary>The virtual machines it simulates.</summary>
    public IReadOnlyList<SyntheticHost> Vms => _vms;

    /// <summary>
    /// Writes the next frame into <paramref name="destination"/> (at least <see cref="MaxFrameLength"/> bytes) and
    /// returns its length. <paramref name="port"/> says on which port it is seen.
    /// </summary>
    public int Next(Span<byte> destination, out ushort port)
    {
        _sequence++;
        var vm = _vms[(int)(NextRandom() % (ulong)_vms.Length)];
        if (_announceEvery > 0 && _sequence % _announceEvery == 0)
        {
            port = vm.Port;
            return (_sequence / _announceEvery) % 2 == 0 ? WriteRarp(destination, vm) : WriteGratuitousArp(destination, vm);
        }

        SyntheticHost peer = _peers[0];
        foreach (var p in _peers)
        {
            if (p.Vlan == vm.Vlan)
            {
                peer = p;
                break;
            }
        }

        var outbound = (NextRandom() & 1) == 0;
        var (src, dst) = outbound ? (vm, peer) : (peer, vm);
        port = src.Port;
        var size = ImixSizes[(int)(NextRandom() % (ulong)ImixSizes.Length)];
        var ipv6 = NextRandom() % 5 == 0;
        var udp = NextRandom() % 3 != 0;
        return WriteIp(destination, src, dst, vm.Vlan, size, ipv6, udp);
    }

    private int WriteIp(Span<byte> d, SyntheticHost src, SyntheticHost dst, ushort vlan, int frameSize, bool ipv6, bool udp)
    {
        var l2 = WriteEthernet(d, dst.Mac, src.Mac, vlan, ipv6 ? (ushort)0x86dd : (ushort)0x0800);
        var l4Length = udp ? 8 : 20;
        var ipHeader = ipv6 ? 40 : 20;
        var payload = Math.Max(frameSize - l2 - ipHeader - l4Length - 4, 18);
        var ip = d[l2..];
        if (ipv6)
        {
            ip[0] = 0x60;
            ip[1] = 0;
            ip[2] = 0;
            ip[3] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)(l4Length + payload));
            ip[6] = udp ? (byte)17 : (byte)6;
            ip[7] = 64;
            WriteIpv6(ip[8..], src.Ipv4);
            WriteIpv6(ip[24..], dst.Ipv4);
        }
        else
        {
            ip[0] = 0x45;
            ip[1] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + l4Length + payload));
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)_sequence);
            ip[6] = 0x40;
            ip[7] = 0;
            ip[8] = 64;
            ip[9] = udp ? (byte)17 : (byte)6;
            ip[10] = 0;
            ip[11] = 0;
            src.Ipv4.CopyTo(ip[12..]);
            dst.Ipv4.CopyTo(ip[16..]);
            BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(ip[..20]));
        }

        var l4 = ip[ipHeader..];
        // Ephemeral source ports (RFC 6335), above every service port, as real clients use: Wireshark then picks
        // the dissector by the service port.
        var srcPort = (ushort)(49152 + (NextRandom() % 16000));
        // UDP carries what it does between VMs, well-formed: a DNS query where one fits, else VXLAN with a frame inside.
        var dns = udp && payload <= MaxDnsPayload;
        var dstPort = udp ? (ushort)(dns ? 53 : 4789) : (ushort)(NextRandom() % 2 == 0 ? 443 : 22);
        BinaryPrimitives.WriteUInt16BigEndian(l4, srcPort);
        BinaryPrimitives.WriteUInt16BigEndian(l4[2..], dstPort);
        if (udp)
        {
            BinaryPrimitives.WriteUInt16BigEndian(l4[4..], (ushort)(8 + payload));
            BinaryPrimitives.WriteUInt16BigEndian(l4[6..], 0);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(l4[4..], (uint)_sequence);
            BinaryPrimitives.WriteUInt32BigEndian(l4[8..], 0);
            l4[12] = 0x50;
            l4[13] = 0x18; // PSH+ACK
            BinaryPrimitives.WriteUInt16BigEndian(l4[14..], 502);
            BinaryPrimitives.WriteUInt32BigEndian(l4[16..], 0);
        }

        var body = l4.Slice(l4Length, payload);
        if (udp && dns)
        {
            WriteDnsQuery(body, (ushort)_sequence);
        }
        else if (udp)
        {
            WriteVxlan(body, src, dst, vlan);
        }
        else
        {
            body.Fill((byte)(_sequence & 0xff));
        }

        if (udp && ipv6)
        {
            // Over IPv6 a UDP checksum of zero is illegal (RFC 8200 8.1): compute it over the pseudo-header.
            BinaryPrimitives.WriteUInt16BigEndian(l4[6..], Udp6Checksum(ip[8..40], l4[..(l4Length + payload)]));
        }

        return l2 + ipHeader + l4Length + payload;
    }

    /// <summary>Largest UDP payload a DNS query of one question fills exactly (a 255-byte name).</summary>
    private const int MaxDnsPayload = 12 + 255 + 4;

    private static void WriteDnsQuery(Span<byte> d, ushort id)
    {
        // Header: id, RD set, one question; then a name of labels that fills the payload, type A, class IN.
        BinaryPrimitives.WriteUInt16BigEndian(d, id);
        BinaryPrimitives.WriteUInt16BigEndian(d[2..], 0x0100);
        BinaryPrimitives.WriteUInt16BigEndian(d[4..], 1);
        d[6..12].Clear();
        var name = d[12..^4];
        var remaining = name.Length - 1;
        var at = 0;
        while (remaining > 0)
        {
            var chunk = Math.Min(64, remaining);
            if (remaining - chunk == 1)
            {
                chunk--;
            }

            name[at] = (byte)(chunk - 1);
            name.Slice(at + 1, chunk - 1).Fill((byte)'v');
            at += chunk;
            remaining -= chunk;
        }

        name[at] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(d[^4..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(d[^2..], 1);
    }

    private static void WriteVxlan(Span<byte> d, SyntheticHost src, SyntheticHost dst, ushort vlan)
    {
        // VXLAN header (I flag, VNI), then an inner Ethernet/IPv4/UDP frame to the discard port filling the rest.
        d[..8].Clear();
        d[0] = 0x08;
        var vni = 5000u + vlan;
        d[4] = (byte)(vni >> 16);
        d[5] = (byte)(vni >> 8);
        d[6] = (byte)vni;
        var inner = d[8..];
        var l2 = WriteEthernet(inner, dst.Mac, src.Mac, 0, 0x0800);
        var ip = inner[l2..];
        var ipLength = inner.Length - l2;
        ip[0] = 0x45;
        ip[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)ipLength);
        ip[4..8].Clear();
        ip[8] = 64;
        ip[9] = 17;
        ip[10] = 0;
        ip[11] = 0;
        src.Ipv4.CopyTo(ip[12..]);
        dst.Ipv4.CopyTo(ip[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(ip[..20]));
        var udp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(udp, 9);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 9);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(ipLength - 20));
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], 0);
        udp[8..].Clear();
    }

    private static int WriteRarp(Span<byte> d, SyntheticHost vm)
    {
        // The announcement vMotion and QEMU send after a migration: RARP request "who is <mac>", from the VM's MAC.
        Span<byte> broadcast = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
        var l2 = WriteEthernet(d, broadcast, vm.Mac, vm.Vlan, 0x8035);
        var body = d[l2..];
        WriteArpBody(body, 3, vm.Mac, [0, 0, 0, 0], vm.Mac, [0, 0, 0, 0]);
        return Pad(d, l2 + 28);
    }

    private static int WriteGratuitousArp(Span<byte> d, SyntheticHost vm)
    {
        Span<byte> broadcast = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
        var l2 = WriteEthernet(d, broadcast, vm.Mac, vm.Vlan, 0x0806);
        WriteArpBody(d[l2..], 1, vm.Mac, vm.Ipv4, broadcast, vm.Ipv4);
        return Pad(d, l2 + 28);
    }

    private static void WriteArpBody(Span<byte> b, ushort op, ReadOnlySpan<byte> sha, ReadOnlySpan<byte> spa, ReadOnlySpan<byte> tha, ReadOnlySpan<byte> tpa)
    {
        BinaryPrimitives.WriteUInt16BigEndian(b, 1);
        BinaryPrimitives.WriteUInt16BigEndian(b[2..], 0x0800);
        b[4] = 6;
        b[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(b[6..], op);
        sha.CopyTo(b[8..]);
        spa.CopyTo(b[14..]);
        tha.CopyTo(b[18..]);
        tpa.CopyTo(b[24..]);
    }

    private static int WriteEthernet(Span<byte> d, ReadOnlySpan<byte> dst, ReadOnlySpan<byte> src, ushort vlan, ushort etherType)
    {
        dst.CopyTo(d);
        src.CopyTo(d[6..]);
        if (vlan == 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(d[12..], etherType);
            return 14;
        }

        BinaryPrimitives.WriteUInt16BigEndian(d[12..], 0x8100);
        BinaryPrimitives.WriteUInt16BigEndian(d[14..], vlan);
        BinaryPrimitives.WriteUInt16BigEndian(d[16..], etherType);
        return 18;
    }

    private static int Pad(Span<byte> d, int length)
    {
        if (length >= 60)
        {
            return length;
        }

        d[length..60].Clear();
        return 60;
    }

    private static void WriteIpv6(Span<byte> d, ReadOnlySpan<byte> v4)
    {
        // A documentation prefix with the IPv4 address in the low bits keeps one identity per host.
        ReadOnlySpan<byte> prefix = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0];
        prefix.CopyTo(d);
        v4.CopyTo(d[12..]);
    }

    private static ushort Udp6Checksum(ReadOnlySpan<byte> addresses, ReadOnlySpan<byte> datagram)
    {
        ulong sum = (ulong)datagram.Length + 17;
        for (var i = 0; i < addresses.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(addresses[i..]);
        }

        for (var i = 0; i + 1 < datagram.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(datagram[i..]);
        }

        if (datagram.Length % 2 == 1)
        {
            sum += (ulong)datagram[^1] << 8;
        }

        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        var result = (ushort)~sum;
        return result == 0 ? (ushort)0xffff : result;
    }

    private static ushort Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (var i = 0; i < header.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }

        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    private ulong NextRandom()
    {
        // xorshift64*: fast, allocation-free, and reproducible from the seed.
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        return _state * 0x2545F4914F6CDD1DUL;
    }

    private static SyntheticHost Host(string mac, ushort vlan, string ipv4, ushort port) =>
        new(Convert.FromHexString(mac.Replace(":", string.Empty, StringComparison.Ordinal)), vlan, System.Net.IPAddress.Parse(ipv4).GetAddressBytes(), port);
}
