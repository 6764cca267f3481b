namespace VirtCapture.Collector;

/// <summary>
/// One outer frame as the decapsulator read it: its session (outer source, encapsulation, session ID / VNI / GRE key)
/// and where the mirrored frame lies inside it, with what the encapsulation says about it.
/// </summary>
internal struct MirrorPacket
{
    /// <summary>The outcome; the other fields are meaningful for <see cref="MirrorDecodeStatus.Mirrored"/>.</summary>
    public MirrorDecodeStatus Status;

    /// <summary>For <see cref="MirrorDecodeStatus.Malformed"/>: what was wrong (a constant string, no allocation).</summary>
    public string? Problem;

    /// <summary>The encapsulation.</summary>
    public MirrorEncapsulation Encapsulation;

    /// <summary>The outer source address: IPv4 as an IPv4-mapped IPv6 address, so one type holds both.</summary>
    public UInt128 Source;

    /// <summary>ERSPAN session ID, VXLAN or Geneve VNI, or GRE key (0 when the GRE header has none).</summary>
    public uint SessionId;

    /// <summary>Offset of the mirrored frame in the outer frame.</summary>
    public int InnerOffset;

    /// <summary>Bytes of the mirrored frame present.</summary>
    public int InnerLength;

    /// <summary>The mirrored frame's length as the outer IP length gives it (more than <see cref="InnerLength"/> when the outer frame was cut).</summary>
    public int InnerWireLength;

    /// <summary>ERSPAN direction: 1 ingress, 2 egress (pcapng epb_flags), 0 unknown.</summary>
    public uint Direction;

    /// <summary>GRE sequence number, when the header carries one.</summary>
    public uint Sequence;

    /// <summary>True when <see cref="Sequence"/> is set.</summary>
    public bool HasSequence;

    /// <summary>ERSPAN II/III: the original VLAN.</summary>
    public ushort Vlan;

    /// <summary>ERSPAN II/III: class of service.</summary>
    public byte Cos;

    /// <summary>The session is read (source, encapsulation, ID) even though the packet is malformed past it.</summary>
    public bool SessionKnown;

    /// <summary>ERSPAN II/III: the sender cut the frame (T bit).</summary>
    public bool Truncated;

    /// <summary>ERSPAN III: bad/short/oversized frame as the sender saw it (0 good, 1 short, 2 oversized, 3 CRC error).</summary>
    public byte Bso;

    /// <summary>ERSPAN III: the timestamp field (lower 32 bits, upper ones from a platform sub-header when present).</summary>
    public ulong Timestamp;

    /// <summary>ERSPAN III: the timestamp's granularity (0 100 µs, 1 100 ns, 2 IEEE 1588, 3 custom).</summary>
    public byte Granularity;

    /// <summary>An outer IPv4 fragment: where its IP header starts in the frame.</summary>
    public int OuterIpOffset;

    /// <summary>ERSPAN III: a platform sub-header gave the timestamp's upper 32 bits.</summary>
    public bool HasUpperTimestamp;

    /// <summary>True when the source is an IPv4 address.</summary>
    public readonly bool SourceIsIpv4 => (Source >> 32) == 0xFFFF;
}
