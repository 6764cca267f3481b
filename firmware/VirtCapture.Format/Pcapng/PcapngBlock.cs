using System.Buffers.Binary;

namespace VirtCapture.Format.Pcapng;

/// <summary>
/// One whole pcapng block (header, body and trailer), read in place from a file chunk or a buffer segment. Field
/// accessors read the byte order of the section the block belongs to. Whole means the lengths agree; whether the
/// body is sound is for the caller to check (<see cref="IsPacket"/>, <see cref="PcapngBlockCheck"/>).
/// </summary>
public readonly ref struct PcapngBlock
{
    /// <summary>Wraps <paramref name="bytes"/>, one whole block.</summary>
    public PcapngBlock(ReadOnlySpan<byte> bytes, bool bigEndian)
    {
        Bytes = bytes;
        BigEndian = bigEndian;
    }

    /// <summary>The whole block, trailer included.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    /// <summary>True when the section is big-endian.</summary>
    public bool BigEndian { get; }

    /// <summary>The block type (<see cref="PcapngBlocks"/> names ours).</summary>
    public uint Type => ReadUInt32(0);

    /// <summary>The block's total length.</summary>
    public int Length => Bytes.Length;

    /// <summary>True for an enhanced packet block whose packet data lies inside the block and is not empty.</summary>
    public bool IsPacket => Type == PcapngBlocks.EnhancedPacketType && Bytes.Length >= PcapngBlocks.EnhancedPacketOverhead
        && CapturedLength is > 0 and var captured && captured <= Bytes.Length - PcapngBlocks.EnhancedPacketOverhead;

    /// <summary>Enhanced packet: the interface id.</summary>
    public uint Interface => ReadUInt32(8);

    /// <summary>Enhanced packet: the timestamp, in the interface's units (nanoseconds in the box's own files).</summary>
    public long Timestamp => (long)(((ulong)ReadUInt32(12) << 32) | ReadUInt32(16));

    /// <summary>Enhanced packet: bytes of the frame in the block (check <see cref="IsPacket"/> first).</summary>
    public int CapturedLength => (int)Math.Min(ReadUInt32(20), int.MaxValue);

    /// <summary>Enhanced packet: the frame's length on the wire.</summary>
    public int WireLength => (int)Math.Min(ReadUInt32(24), int.MaxValue);

    /// <summary>Enhanced packet: the frame's bytes (check <see cref="IsPacket"/> first).</summary>
    public ReadOnlySpan<byte> PacketData => Bytes.Slice(28, CapturedLength);

    /// <summary>Enhanced packet: its options (epb_flags, epb_dropcount, comments).</summary>
    public PcapngOptionReader PacketOptions => OptionsFrom(28 + PcapngBlocks.Align4(CapturedLength));

    /// <summary>The options that start at <paramref name="offset"/> in the block and end before its trailer.</summary>
    public PcapngOptionReader OptionsFrom(int offset) =>
        new(offset <= Bytes.Length - 4 ? Bytes[offset..^4] : default, BigEndian);

    /// <summary>Enhanced packet: the value of epb_flags, or 0.</summary>
    public uint PacketFlags => PacketOptions.FindUInt32(PcapngBlocks.FlagsOption) ?? 0;

    /// <summary>Enhanced packet: the value of epb_dropcount, or 0.</summary>
    public long PacketDropCount => (long)(PacketOptions.FindUInt64(PcapngBlocks.DropCountOption) ?? 0);

    /// <summary>A 32-bit field at <paramref name="offset"/>, in the section's byte order.</summary>
    public uint ReadUInt32(int offset) => BigEndian
        ? BinaryPrimitives.ReadUInt32BigEndian(Bytes[offset..])
        : BinaryPrimitives.ReadUInt32LittleEndian(Bytes[offset..]);

    /// <summary>A 16-bit field at <paramref name="offset"/>, in the section's byte order.</summary>
    public ushort ReadUInt16(int offset) => BigEndian
        ? BinaryPrimitives.ReadUInt16BigEndian(Bytes[offset..])
        : BinaryPrimitives.ReadUInt16LittleEndian(Bytes[offset..]);
}
