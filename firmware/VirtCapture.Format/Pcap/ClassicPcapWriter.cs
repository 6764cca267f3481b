using System.Buffers.Binary;

namespace VirtCapture.Format.Pcap;

/// <summary>
/// Writes a classic nanosecond pcap file, the replay input that every tool
/// reads. Used to make replay inputs (the benchmark's traffic, test files); the box itself records pcapng.
/// </summary>
public sealed class ClassicPcapWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly byte[] _header = new byte[16];

    /// <summary>Creates <paramref name="path"/> and writes the file header.</summary>
    public ClassicPcapWriter(string path, int linkType = 1, int snaplen = 262144)
    {
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
        Span<byte> h = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(h, 0xa1b23c4d);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(h[12..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(h[16..], (uint)snaplen);
        BinaryPrimitives.WriteUInt32LittleEndian(h[20..], (uint)linkType);
        _stream.Write(h);
    }

    /// <summary>Appends one frame.</summary>
    public void Write(long timestampNs, ReadOnlySpan<byte> frame, int wireLength = -1)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_header, (uint)(timestampNs / 1_000_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(4), (uint)(timestampNs % 1_000_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(8), (uint)frame.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(12), (uint)(wireLength < 0 ? frame.Length : wireLength));
        _stream.Write(_header);
        _stream.Write(frame);
    }

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();
}
