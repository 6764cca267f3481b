using System.Buffers.Binary;

namespace VirtCapture.Collector;

/// <summary>
/// Reads an outer frame sent to the collector: Ethernet (up to two VLAN tags), IPv4 or IPv6 (extension headers
/// skipped), then GRE (ERSPAN I, II, III, transparent Ethernet bridging) or UDP (VXLAN on 4789 and 8472, Geneve on
/// 6081), and says where the mirrored frame lies and which session it belongs to. Every length is hostile until
/// checked; nothing is allocated and nothing is copied. Layouts: Linux include/net/erspan.h, Wireshark's
/// packet-erspan.c, RFC 2784/2890 (GRE), RFC 7348 (VXLAN), RFC 8926 (Geneve).
/// </summary>
internal static class MirrorDecapsulator
{
    /// <summary>VXLAN's IANA port.</summary>
    public const ushort VxlanPort = 4789;

    /// <summary>The Linux kernel's VXLAN port when none is given.</summary>
    public const ushort LinuxVxlanPort = 8472;

    /// <summary>Geneve's port.</summary>
    public const ushort GenevePort = 6081;

    private const ushort ErspanType12 = 0x88BE;
    private const ushort ErspanType3 = 0x22EB;
    private const ushort TransparentEthernet = 0x6558;
    private const int EthernetHeader = 14;

    /// <summary>Decodes <paramref name="frame"/>; the result is also in <paramref name="packet"/>.</summary>
    public static MirrorDecodeStatus Decode(ReadOnlySpan<byte> frame, out MirrorPacket packet)
    {
        packet = default;
        packet.Status = DecodeCore(frame, ref packet);
        return packet.Status;
    }

    private static MirrorDecodeStatus DecodeCore(ReadOnlySpan<byte> frame, ref MirrorPacket packet)
    {
        if (frame.Length < EthernetHeader)
        {
            return MirrorDecodeStatus.NotMirror;
        }

        var at = 12;
        var type = BinaryPrimitives.ReadUInt16BigEndian(frame[at..]);
        for (var tags = 0; tags < 2 && type is 0x8100 or 0x88a8; tags++)
        {
            if (frame.Length < at + 6)
            {
                return MirrorDecodeStatus.NotMirror;
            }

            at += 4;
            type = BinaryPrimitives.ReadUInt16BigEndian(frame[at..]);
        }

        at += 2;
        int protocol;
        int ipEnd;
        switch (type)
        {
            case 0x0800:
                if (frame.Length < at + 20 || frame[at] >> 4 != 4)
                {
                    return MirrorDecodeStatus.NotMirror;
                }

                protocol = frame[at + 9];
                if (protocol is not (47 or 17))
                {
                    return MirrorDecodeStatus.NotMirror;
                }

                packet.Source = ((UInt128)0xFFFF << 32) | BinaryPrimitives.ReadUInt32BigEndian(frame[(at + 12)..]);
                var headerLength = (frame[at] & 0x0F) * 4;
                var totalLength = BinaryPrimitives.ReadUInt16BigEndian(frame[(at + 2)..]);
                if (headerLength < 20 || totalLength < headerLength)
                {
                    return Malformed(ref packet, "outer IPv4 header with impossible lengths");
                }

                if ((BinaryPrimitives.ReadUInt16BigEndian(frame[(at + 6)..]) & 0x3FFF) != 0)
                {
                    // More fragments, or a fragment offset: not the whole datagram (the reassembler takes it from here).
                    packet.OuterIpOffset = at;
                    return MirrorDecodeStatus.Fragment;
                }

                ipEnd = at + totalLength;
                at += headerLength;
                break;
            case 0x86DD:
                if (frame.Length < at + 40 || frame[at] >> 4 != 6)
                {
                    return MirrorDecodeStatus.NotMirror;
                }

                packet.Source = BinaryPrimitives.ReadUInt128BigEndian(frame[(at + 8)..]);
                ipEnd = at + 40 + BinaryPrimitives.ReadUInt16BigEndian(frame[(at + 4)..]);
                protocol = frame[at + 6];
                at += 40;
                for (var extensions = 0; protocol is 0 or 43 or 60 or 44; extensions++)
                {
                    if (protocol == 44)
                    {
                        return MirrorDecodeStatus.Fragment;
                    }

                    if (extensions == 8 || frame.Length < at + 8)
                    {
                        return Malformed(ref packet, "outer IPv6 extension headers cut or too many");
                    }

                    protocol = frame[at];
                    at += (frame[at + 1] + 1) * 8;
                }

                if (protocol is not (47 or 17))
                {
                    return MirrorDecodeStatus.NotMirror;
                }

                break;
            default:
                return MirrorDecodeStatus.NotMirror;
        }

        if (ipEnd < at)
        {
            return Malformed(ref packet, "outer IP length shorter than its headers");
        }

        // Ethernet pads short frames: the datagram ends where IP says, not where the frame does.
        var end = Math.Min(ipEnd, frame.Length);
        var status = protocol == 47 ? Gre(frame[..end], at, ref packet) : Udp(frame[..end], at, ref packet);
        if (status != MirrorDecodeStatus.Mirrored)
        {
            return status;
        }

        packet.InnerLength = end - packet.InnerOffset;
        packet.InnerWireLength = ipEnd - packet.InnerOffset;
        packet.SessionKnown = true;
        return packet.InnerLength < EthernetHeader
            ? Malformed(ref packet, "mirrored frame shorter than an Ethernet header")
            : MirrorDecodeStatus.Mirrored;
    }

    private static MirrorDecodeStatus Gre(ReadOnlySpan<byte> datagram, int at, ref MirrorPacket packet)
    {
        if (datagram.Length < at + 4)
        {
            return MirrorDecodeStatus.NotMirror;
        }

        var flags = BinaryPrimitives.ReadUInt16BigEndian(datagram[at..]);
        var protocol = BinaryPrimitives.ReadUInt16BigEndian(datagram[(at + 2)..]);
        if (protocol is not (ErspanType12 or ErspanType3 or TransparentEthernet))
        {
            return MirrorDecodeStatus.NotMirror;
        }

        if ((flags & 0x7) != 0 || (flags & 0x4000) != 0)
        {
            return Malformed(ref packet, "GRE version other than 0, or source routing");
        }

        var pos = at + 4 + ((flags & 0x8000) != 0 ? 4 : 0);
        var hasKey = (flags & 0x2000) != 0;
        packet.HasSequence = (flags & 0x1000) != 0;
        if (datagram.Length < pos + (hasKey ? 4 : 0) + (packet.HasSequence ? 4 : 0))
        {
            return Malformed(ref packet, "GRE header cut");
        }

        if (hasKey)
        {
            packet.SessionId = BinaryPrimitives.ReadUInt32BigEndian(datagram[pos..]);
            pos += 4;
        }

        if (packet.HasSequence)
        {
            packet.Sequence = BinaryPrimitives.ReadUInt32BigEndian(datagram[pos..]);
            pos += 4;
        }

        switch (protocol)
        {
            case TransparentEthernet:
                packet.Encapsulation = MirrorEncapsulation.GreEthernet;
                packet.InnerOffset = pos;
                return MirrorDecodeStatus.Mirrored;
            case ErspanType12 when !packet.HasSequence:
                // Type I: no ERSPAN header at all, and no session ID.
                packet.Encapsulation = MirrorEncapsulation.ErspanI;
                packet.SessionId = 0;
                packet.InnerOffset = pos;
                return MirrorDecodeStatus.Mirrored;
            case ErspanType12:
                if (datagram.Length < pos + 8 || datagram[pos] >> 4 != 1)
                {
                    return Malformed(ref packet, "ERSPAN II header cut or not version 1");
                }

                packet.Encapsulation = MirrorEncapsulation.ErspanII;
                ReadCommon(datagram[pos..], ref packet);
                packet.InnerOffset = pos + 8;
                return MirrorDecodeStatus.Mirrored;
            default:
                if (datagram.Length < pos + 12 || datagram[pos] >> 4 != 2)
                {
                    return Malformed(ref packet, "ERSPAN III header cut or not version 2");
                }

                packet.Encapsulation = MirrorEncapsulation.ErspanIII;
                ReadCommon(datagram[pos..], ref packet);
                packet.SessionKnown = true;
                packet.Bso = (byte)((datagram[pos + 2] >> 3) & 0x3);
                packet.Timestamp = BinaryPrimitives.ReadUInt32BigEndian(datagram[(pos + 4)..]);
                var bits = BinaryPrimitives.ReadUInt16BigEndian(datagram[(pos + 10)..]);
                if (((bits >> 10) & 0x1F) != 0)
                {
                    return Malformed(ref packet, "ERSPAN III frame type other than Ethernet");
                }

                packet.Direction = (bits & 0x8) != 0 ? 2u : 1u;
                packet.Granularity = (byte)((bits >> 1) & 0x3);
                pos += 12;
                if ((bits & 0x1) != 0)
                {
                    if (datagram.Length < pos + 8)
                    {
                        return Malformed(ref packet, "ERSPAN III platform sub-header cut");
                    }

                    // Platform IDs 0, 3 and 7 carry the upper 32 bits of the timestamp in their second word.
                    if ((datagram[pos] >> 2) is 0 or 3 or 7)
                    {
                        packet.Timestamp |= (ulong)BinaryPrimitives.ReadUInt32BigEndian(datagram[(pos + 4)..]) << 32;
                        packet.HasUpperTimestamp = true;
                    }

                    pos += 8;
                }

                packet.InnerOffset = pos;
                return MirrorDecodeStatus.Mirrored;
        }
    }

    // Version | VLAN (12) ; COS (3) | En or BSO (2) | T (1) | Session ID (10): the first word of types II and III.
    private static void ReadCommon(ReadOnlySpan<byte> header, ref MirrorPacket packet)
    {
        packet.Vlan = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(header) & 0x0FFF);
        var word = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        packet.Cos = (byte)(word >> 13);
        packet.Truncated = (word & 0x0400) != 0;
        packet.SessionId = (uint)(word & 0x03FF);
    }

    private static MirrorDecodeStatus Udp(ReadOnlySpan<byte> datagram, int at, ref MirrorPacket packet)
    {
        if (datagram.Length < at + 8)
        {
            return MirrorDecodeStatus.NotMirror;
        }

        var port = BinaryPrimitives.ReadUInt16BigEndian(datagram[(at + 2)..]);
        var header = at + 8;
        switch (port)
        {
            case VxlanPort or LinuxVxlanPort:
                if (datagram.Length < header + 8 || (datagram[header] & 0x08) == 0)
                {
                    return Malformed(ref packet, "VXLAN header cut or without its VNI flag");
                }

                packet.Encapsulation = MirrorEncapsulation.Vxlan;
                packet.SessionId = BinaryPrimitives.ReadUInt32BigEndian(datagram[(header + 4)..]) >> 8;
                packet.InnerOffset = header + 8;
                return MirrorDecodeStatus.Mirrored;
            case GenevePort:
                if (datagram.Length < header + 8 || datagram[header] >> 6 != 0)
                {
                    return Malformed(ref packet, "Geneve header cut or not version 0");
                }

                packet.Encapsulation = MirrorEncapsulation.Geneve;
                packet.SessionId = BinaryPrimitives.ReadUInt32BigEndian(datagram[(header + 4)..]) >> 8;
                packet.SessionKnown = true;
                if (BinaryPrimitives.ReadUInt16BigEndian(datagram[(header + 2)..]) != TransparentEthernet)
                {
                    return Malformed(ref packet, "Geneve carrying something other than Ethernet");
                }

                var options = (datagram[header] & 0x3F) * 4;
                if (datagram.Length < header + 8 + options)
                {
                    return Malformed(ref packet, "Geneve options run past the datagram");
                }

                packet.InnerOffset = header + 8 + options;
                return MirrorDecodeStatus.Mirrored;
            default:
                return MirrorDecodeStatus.NotMirror;
        }
    }

    private static MirrorDecodeStatus Malformed(ref MirrorPacket packet, string problem)
    {
        packet.Problem = problem;
        return MirrorDecodeStatus.Malformed;
    }
}
