using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace VirtCapture.Format.Pcapng;

/// <summary>
/// Encodes pcapng blocks (draft-tuexen-opsawg-pcapng) in host byte order (little-endian on every board we ship).
/// The enhanced packet block is encoded straight into the capture buffer on the hot path; the rarer blocks go
/// through a small <see cref="IBufferWriter{T}"/>.
/// </summary>
public static class PcapngBlocks
{
    /// <summary>Section header block.</summary>
    public const uint SectionHeaderType = 0x0A0D0D0A;

    /// <summary>Interface description block.</summary>
    public const uint InterfaceDescriptionType = 1;

    /// <summary>Obsolete packet block (read, never written).</summary>
    public const uint ObsoletePacketType = 2;

    /// <summary>Simple packet block (read, never written).</summary>
    public const uint SimplePacketType = 3;

    /// <summary>Interface statistics block.</summary>
    public const uint InterfaceStatisticsType = 5;

    /// <summary>Enhanced packet block.</summary>
    public const uint EnhancedPacketType = 6;

    /// <summary>
    /// Padding block: a type reserved for local use (top bit set), which every reader skips — Wireshark's, libpcap's
    /// (tcpdump), editcap (which leaves it out) and ours. The ring puts one in front of a buffer segment so that the
    /// segment's pages start on a disk page and go to an O_DIRECT file straight from the buffer.
    /// </summary>
    public const uint PaddingType = 0x80564301;

    /// <summary>The smallest padding block: type, length and trailer, no body.</summary>
    public const int MinimumPadding = 12;

    /// <summary>The byte-order magic of a section header, as written in the section's own order.</summary>
    public const uint ByteOrderMagic = 0x1A2B3C4D;

    /// <summary>epb_flags: direction in the two low bits.</summary>
    public const ushort FlagsOption = 2;

    /// <summary>epb_dropcount: frames lost between this one and the previous.</summary>
    public const ushort DropCountOption = 4;

    /// <summary>Fixed part of an EPB: type, length, interface, timestamp (2), captured and original length, trailer.</summary>
    public const int EnhancedPacketOverhead = 32;

    /// <summary>epb_flags (4 + 4) plus opt_endofopt (4).</summary>
    public const int FlagsOptionLength = 8;

    /// <summary>epb_dropcount (4 + 8).</summary>
    public const int DropCountOptionLength = 12;

    private const ushort OptEndOfOpt = 0;
    private const ushort OptComment = 1;

    /// <summary>Size an EPB of <paramref name="captured"/> bytes will take.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int EnhancedPacketLength(int captured, uint flags, long dropCount, int commentBytes = 0)
    {
        var options = (flags != 0 ? FlagsOptionLength : 0) + (dropCount > 0 ? DropCountOptionLength : 0) + (commentBytes > 0 ? 4 + Align4(commentBytes) : 0);
        return EnhancedPacketOverhead + Align4(captured) + (options > 0 ? options + 4 : 0);
    }

    /// <summary>
    /// Size of an EPB of <paramref name="captured"/> bytes whose only option is epb_flags (none when
    /// <paramref name="flags"/> is 0): nearly every frame a capture records.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int PlainEnhancedPacketLength(int captured, uint flags) =>
        EnhancedPacketOverhead + Align4(captured) + (flags != 0 ? FlagsOptionLength + 4 : 0);

    /// <summary>
    /// <see cref="CompleteEnhancedPacket"/> for a block sized by <see cref="PlainEnhancedPacketLength"/>: no drop count,
    /// no comment. The capture thread's path: without the options' ladder its loop keeps its values in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CompletePlainEnhancedPacket(Span<byte> block, int iface, long timestampNs, int captured, int wireLength, uint flags)
    {
        if (block.Length != PlainEnhancedPacketLength(captured, flags) || !BitConverter.IsLittleEndian)
        {
            throw new ArgumentException($"a block of {block.Length} bytes for {captured} captured bytes", nameof(block));
        }

        CompletePlainEnhancedPacketUnchecked(ref MemoryMarshal.GetReference(block), block.Length, iface, timestampNs, captured, wireLength, flags);
    }

    /// <summary>
    /// <see cref="CompletePlainEnhancedPacket"/> for a caller that has already checked that the
    /// <paramref name="length"/> bytes at <paramref name="block"/> are its own and that <paramref name="length"/> is
    /// <see cref="PlainEnhancedPacketLength"/>: the capture buffer's loop, which checks its room once per frame.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CompletePlainEnhancedPacketUnchecked(ref byte block, int length, int iface, long timestampNs, int captured, int wireLength, uint flags)
    {
        WriteEnhancedHeaderUnchecked(ref block, length, iface, timestampNs, captured, wireLength);
        var pos = 28 + Align4(captured);
        if (flags != 0)
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref block, pos), 2u | (4u << 16));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref block, pos + 4), flags);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref block, pos + 8), 0u);
        }

        Unsafe.WriteUnaligned(ref Unsafe.Add(ref block, length - 4), (uint)length);
    }

    /// <summary>
    /// Writes the EPB header into <paramref name="block"/> (sized by <see cref="EnhancedPacketLength"/>); the
    /// caller has already placed the frame's bytes at offset 28. Pads and appends the options and trailer.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CompleteEnhancedPacket(Span<byte> block, int iface, long timestampNs, int captured, int wireLength, uint flags, long dropCount, ReadOnlySpan<byte> comment = default)
    {
        ref var b = ref WriteEnhancedHeader(block, iface, timestampNs, captured, wireLength);
        var pos = 28 + Align4(captured);
        var hasOptions = false;
        if (flags != 0)
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, pos), 2u | (4u << 16));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, pos + 4), flags);
            pos += 8;
            hasOptions = true;
        }

        if (dropCount > 0)
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, pos), 4u | (8u << 16));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, pos + 4), (ulong)dropCount);
            pos += 12;
            hasOptions = true;
        }

        if (!comment.IsEmpty)
        {
            // opt_comment on the frame itself: the event stands exactly at the frame that caused it.
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, pos), (uint)OptComment | ((uint)comment.Length << 16));
            comment.CopyTo(block[(pos + 4)..]);
            block.Slice(pos + 4 + comment.Length, Align4(comment.Length) - comment.Length).Clear();
            pos += 4 + Align4(comment.Length);
            hasOptions = true;
        }

        if (hasOptions)
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, pos), 0u);
            pos += 4;
        }

        Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, pos), (uint)block.Length);
    }

    // The fixed part of an EPB and the frame's padding; the options and the trailer are the caller's.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref byte WriteEnhancedHeader(Span<byte> block, int iface, long timestampNs, int captured, int wireLength)
    {
        // Hot path: one bounds check for the whole block, then unaligned little-endian stores.
        if (block.Length < EnhancedPacketOverhead + captured || !BitConverter.IsLittleEndian)
        {
            throw new ArgumentException("block too small for the frame", nameof(block));
        }

        ref var b = ref MemoryMarshal.GetReference(block);
        WriteEnhancedHeaderUnchecked(ref b, block.Length, iface, timestampNs, captured, wireLength);
        return ref b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteEnhancedHeaderUnchecked(ref byte b, int length, int iface, long timestampNs, int captured, int wireLength)
    {
        var ts = (ulong)timestampNs;
        Unsafe.WriteUnaligned(ref b, EnhancedPacketType);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, 4), (uint)length);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, 8), (uint)iface);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, 12), (uint)(ts >> 32));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, 16), (uint)ts);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, 20), (uint)captured);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, 24), (uint)wireLength);
        // At most three pad bytes: a zero uint written over them (the options or trailer overwrite the rest).
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, 28 + captured), 0u);
    }

    /// <summary>Fills <paramref name="block"/> (at least <see cref="MinimumPadding"/> bytes, a multiple of 4) with one padding block of zeros.</summary>
    public static void WritePadding(Span<byte> block)
    {
        if (block.Length < MinimumPadding || block.Length % 4 != 0)
        {
            throw new ArgumentException($"a padding block of {block.Length} bytes (at least {MinimumPadding}, a multiple of 4)", nameof(block));
        }

        block.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(block, PaddingType);
        BinaryPrimitives.WriteUInt32LittleEndian(block[4..], (uint)block.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(block[^4..], (uint)block.Length);
    }

    /// <summary>A zero-length EPB that carries only a comment: an event at an instant on a port.</summary>
    public static byte[] CommentPacket(int iface, long timestampNs, string comment)
    {
        var writer = new ArrayBufferWriter<byte>(128);
        var start = Begin(writer, EnhancedPacketType);
        var ts = (ulong)timestampNs;
        WriteU32(writer, (uint)iface);
        WriteU32(writer, (uint)(ts >> 32));
        WriteU32(writer, (uint)ts);
        WriteU32(writer, 0);
        WriteU32(writer, 0);
        WriteStringOption(writer, OptComment, comment);
        WriteOptionEnd(writer);
        return End(writer, start);
    }

    /// <summary>Section header block with shb_hardware, shb_os and shb_userappl.</summary>
    public static void WriteSectionHeader(ArrayBufferWriter<byte> writer, string hardware, string os, string application)
    {
        var start = Begin(writer, SectionHeaderType);
        WriteU32(writer, 0x1A2B3C4D);
        WriteU16(writer, 1);
        WriteU16(writer, 0);
        WriteU64(writer, ulong.MaxValue); // section length not known in advance
        WriteStringOption(writer, 2, hardware);
        WriteStringOption(writer, 3, os);
        WriteStringOption(writer, 4, application);
        WriteOptionEnd(writer);
        End(writer, start);
    }

    /// <summary>Interface description block with if_name, if_description, if_tsresol = 9 (ns) and if_filter.</summary>
    public static void WriteInterfaceDescription(ArrayBufferWriter<byte> writer, string name, string description, int linkType, int snaplen, string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var start = Begin(writer, InterfaceDescriptionType);
        WriteU16(writer, (ushort)linkType);
        WriteU16(writer, 0);
        WriteU32(writer, (uint)snaplen);
        WriteStringOption(writer, 2, name);
        WriteStringOption(writer, 3, description);
        WriteOption(writer, 9, [9]);
        if (filter.Length > 0)
        {
            // if_filter: first byte 0 = a libpcap filter string.
            var bytes = new byte[1 + Encoding.UTF8.GetByteCount(filter)];
            Encoding.UTF8.GetBytes(filter, bytes.AsSpan(1));
            WriteOption(writer, 11, bytes);
        }

        WriteStringOption(writer, 12, Environment.OSVersion.VersionString);
        WriteOptionEnd(writer);
        End(writer, start);
    }

    /// <summary>Interface statistics block.</summary>
    public static void WriteInterfaceStatistics(ArrayBufferWriter<byte> writer, int iface, long nowNs, in InterfaceStatistics stats)
    {
        var start = Begin(writer, InterfaceStatisticsType);
        var ts = (ulong)nowNs;
        WriteU32(writer, (uint)iface);
        WriteU32(writer, (uint)(ts >> 32));
        WriteU32(writer, (uint)ts);
        if (stats.Comment is { Length: > 0 } comment)
        {
            WriteStringOption(writer, OptComment, comment);
        }

        WriteTimestampOption(writer, 2, stats.StartTimeNs);
        WriteTimestampOption(writer, 3, nowNs);
        WriteU64Option(writer, 4, stats.Received);
        WriteU64Option(writer, 5, stats.InterfaceDropped);
        WriteU64Option(writer, 6, stats.FilterAccepted);
        WriteU64Option(writer, 7, stats.OsDropped);
        WriteU64Option(writer, 8, stats.UserDelivered);
        WriteOptionEnd(writer);
        End(writer, start);
    }

    /// <summary>Rounds up to a multiple of 4.</summary>
    public static int Align4(int value) => (value + 3) & ~3;

    private static int Begin(ArrayBufferWriter<byte> writer, uint type)
    {
        var start = writer.WrittenCount;
        WriteU32(writer, type);
        WriteU32(writer, 0); // patched in End
        return start;
    }

    private static byte[] End(ArrayBufferWriter<byte> writer, int start)
    {
        var length = writer.WrittenCount - start + 4;
        WriteU32(writer, (uint)length);
        // The buffer writer only appends; the length field is patched through its backing memory.
        var span = System.Runtime.InteropServices.MemoryMarshal.AsMemory(writer.WrittenMemory).Span;
        BinaryPrimitives.WriteUInt32LittleEndian(span[(start + 4)..], (uint)length);
        return span[start..].ToArray();
    }

    private static void WriteStringOption(ArrayBufferWriter<byte> writer, ushort code, string value)
    {
        WriteOption(writer, code, Encoding.UTF8.GetBytes(value));
    }

    private static void WriteTimestampOption(ArrayBufferWriter<byte> writer, ushort code, long ns)
    {
        Span<byte> v = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(v, (uint)((ulong)ns >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(v[4..], (uint)ns);
        WriteOption(writer, code, v);
    }

    private static void WriteU64Option(ArrayBufferWriter<byte> writer, ushort code, long value)
    {
        Span<byte> v = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(v, (ulong)value);
        WriteOption(writer, code, v);
    }

    private static void WriteOption(ArrayBufferWriter<byte> writer, ushort code, ReadOnlySpan<byte> value)
    {
        WriteU16(writer, code);
        WriteU16(writer, (ushort)value.Length);
        writer.Write(value);
        var pad = Align4(value.Length) - value.Length;
        if (pad > 0)
        {
            writer.Write(new byte[pad]);
        }
    }

    private static void WriteOptionEnd(ArrayBufferWriter<byte> writer)
    {
        WriteU16(writer, OptEndOfOpt);
        WriteU16(writer, 0);
    }

    private static void WriteU16(ArrayBufferWriter<byte> writer, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(writer.GetSpan(2), value);
        writer.Advance(2);
    }

    private static void WriteU32(ArrayBufferWriter<byte> writer, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    private static void WriteU64(ArrayBufferWriter<byte> writer, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(writer.GetSpan(8), value);
        writer.Advance(8);
    }
}
