using System.Buffers.Binary;

namespace VirtCapture.Format.Pcap;

/// <summary>
/// The 24-byte header of a classic pcap file and the 16-byte record header it governs: byte order and timestamp
/// unit from the magic, the snaplen and the link type.
/// </summary>
/// <param name="Swapped">True when the file was written in the other byte order.</param>
/// <param name="Nanoseconds">True for the nanosecond variant (magic a1b23c4d).</param>
/// <param name="Snaplen">The file's snaplen.</param>
/// <param name="LinkType">The link type (the FCS bits masked off).</param>
public readonly record struct PcapFileHeader(bool Swapped, bool Nanoseconds, int Snaplen, int LinkType)
{
    /// <summary>Length of the file header.</summary>
    public const int Length = 24;

    /// <summary>Length of each record header.</summary>
    public const int RecordHeaderLength = 16;

    /// <summary>Recognizes a classic pcap file header, in either byte order and either unit.</summary>
    public static bool TryRead(ReadOnlySpan<byte> header, out PcapFileHeader file)
    {
        file = default;
        if (header.Length < Length)
        {
            return false;
        }

        (bool Swapped, bool Nanos)? kind = BinaryPrimitives.ReadUInt32LittleEndian(header) switch
        {
            0xa1b2c3d4 => (false, false),
            0xa1b23c4d => (false, true),
            0xd4c3b2a1 => (true, false),
            0x4d3cb2a1 => (true, true),
            _ => null,
        };
        if (kind is not { } k)
        {
            return false;
        }

        var snaplen = (int)Math.Min(Read(header[16..], k.Swapped), int.MaxValue);
        var linkType = (int)(Read(header[20..], k.Swapped) & 0x03FFFFFF);
        file = new PcapFileHeader(k.Swapped, k.Nanos, snaplen, linkType);
        return true;
    }

    /// <summary>Reads a record header: timestamp in nanoseconds, captured and original length (unchecked).</summary>
    public void ReadRecord(ReadOnlySpan<byte> record, out long timestampNs, out uint captured, out uint wire)
    {
        var seconds = Read(record, Swapped);
        var fraction = Read(record[4..], Swapped);
        captured = Read(record[8..], Swapped);
        wire = Read(record[12..], Swapped);
        timestampNs = (seconds * 1_000_000_000L) + (fraction * (Nanoseconds ? 1L : 1000L));
    }

    private static uint Read(ReadOnlySpan<byte> data, bool swapped) =>
        swapped ? BinaryPrimitives.ReadUInt32BigEndian(data) : BinaryPrimitives.ReadUInt32LittleEndian(data);
}
