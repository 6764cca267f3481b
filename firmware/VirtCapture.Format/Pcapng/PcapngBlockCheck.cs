using System.Buffers.Binary;

namespace VirtCapture.Format.Pcapng;

/// <summary>
/// Whether one block of a file we wrote is whole and well-formed by the rules Wireshark's reader applies: lengths
/// that fit, interface ids that were declared, captured lengths within the block and within 262144, options that
/// end inside their block with the lengths their codes require. Every field is hostile until checked here.
/// </summary>
public static class PcapngBlockCheck
{
    /// <summary>Wireshark's largest captured length for Ethernet (WTAP_MAX_PACKET_SIZE_STANDARD).</summary>
    public const uint MaxCaptured = 262_144;

    /// <summary>Null when <paramref name="block"/> (a whole block, trailer included) is sound; otherwise why not.</summary>
    public static string? Problem(ReadOnlySpan<byte> block, int interfaces)
    {
        var type = BinaryPrimitives.ReadUInt32LittleEndian(block);
        switch (type)
        {
            case PcapngBlocks.SectionHeaderType:
                if (block.Length < 28 || BinaryPrimitives.ReadUInt16LittleEndian(block[12..]) != 1)
                {
                    return "section header too short or not version 1";
                }

                // Wireshark reads 1.0 (what the box writes) and 1.2 (some old writers) and refuses the file otherwise.
                if (BinaryPrimitives.ReadUInt16LittleEndian(block[14..]) is not (0 or 2) and var minor)
                {
                    return $"section header version 1.{minor}, which Wireshark does not read";
                }

                return Options(block[24..^4], static (_, _) => null);
            case PcapngBlocks.InterfaceDescriptionType:
                if (block.Length < 20)
                {
                    return "interface description too short";
                }

                return Options(block[16..^4], static (code, length) => code switch
                {
                    9 or 13 when length != 1 => "if_tsresol/if_fcslen must be 1 byte",
                    8 or 14 when length != 8 => "if_speed/if_tsoffset must be 8 bytes",
                    11 when length < 1 => "if_filter is empty",
                    _ => null,
                });
            case PcapngBlocks.EnhancedPacketType:
                if (block.Length < PcapngBlocks.EnhancedPacketOverhead)
                {
                    return "packet block too short";
                }

                var iface = BinaryPrimitives.ReadUInt32LittleEndian(block[8..]);
                var captured = BinaryPrimitives.ReadUInt32LittleEndian(block[20..]);
                if (iface >= (uint)interfaces)
                {
                    return $"packet on interface {iface} of {interfaces}";
                }

                if (captured > MaxCaptured || captured > (uint)block.Length - PcapngBlocks.EnhancedPacketOverhead)
                {
                    return $"packet of {captured} bytes in a block of {block.Length}";
                }

                var optionsAt = 28 + (int)((captured + 3) & ~3u);
                return optionsAt > block.Length - 4 ? "packet data runs into the trailer" : Options(block[optionsAt..^4], static (code, length) => code switch
                {
                    2 or 6 when length != 4 => "epb_flags/epb_queue must be 4 bytes",
                    4 or 5 when length != 8 => "epb_dropcount/epb_packetid must be 8 bytes",
                    _ => null,
                });
            case PcapngBlocks.InterfaceStatisticsType:
                if (block.Length < 24)
                {
                    return "statistics block too short";
                }

                if (BinaryPrimitives.ReadUInt32LittleEndian(block[8..]) >= (uint)interfaces)
                {
                    return "statistics for an undeclared interface";
                }

                return Options(block[20..^4], static (code, length) => code is >= 2 and <= 8 && length != 8 ? "statistics counters must be 8 bytes" : null);
            case PcapngBlocks.PaddingType:
                // Zeros only: a torn write is then still told from padding.
                return block[8..^4].IndexOfAnyExcept((byte)0) >= 0 ? "padding block that is not zeros" : null;
            default:
                // The ring writes nothing else: anything else in one of its files is damage.
                return $"unexpected block type 0x{type:x}";
        }
    }

    private static string? Options(ReadOnlySpan<byte> options, Func<ushort, ushort, string?> check)
    {
        var reader = new PcapngOptionReader(options, bigEndian: false);
        while (reader.TryRead(out var code, out var value))
        {
            if (check(code, (ushort)value.Length) is { } problem)
            {
                return problem;
            }
        }

        return reader.Problem;
    }
}
