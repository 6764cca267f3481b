using System.Buffers.Binary;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Hal.Replay;

/// <summary>Classic libpcap files: microsecond or nanosecond magic, either byte order.</summary>
internal sealed class PcapFormat : ICaptureFileFormat
{
    /// <summary>Size of the file header.</summary>
    public const int HeaderLength = 24;

    private const int RecordHeaderLength = 16;
    private readonly string _path;
    private readonly bool _swapped;
    private readonly long _tsScale;
    private readonly int _maxCaptured;

    private PcapFormat(string path, bool swapped, bool nanoseconds, int snaplen, int linkType)
    {
        _path = path;
        _swapped = swapped;
        _tsScale = nanoseconds ? 1 : 1000;
        // libpcap refuses records above the larger of the file's snaplen and its own 262144 ceiling; so do we.
        _maxCaptured = Math.Max(snaplen, 262144);
        Ports = [new CapturePort("if0", $"replayed from {System.IO.Path.GetFileName(path)}", linkType)];
    }

    /// <inheritdoc/>
    public IReadOnlyList<CapturePort> Ports { get; }

    /// <summary>Recognizes a pcap header, or returns null.</summary>
    public static PcapFormat? TryOpen(string path, ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderLength)
        {
            return null;
        }

        var magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        (bool swapped, bool nanos) = magic switch
        {
            0xa1b2c3d4 => (false, false),
            0xa1b23c4d => (false, true),
            0xd4c3b2a1 => (true, false),
            0x4d3cb2a1 => (true, true),
            _ => (false, false),
        };
        if (magic is not (0xa1b2c3d4 or 0xa1b23c4d or 0xd4c3b2a1 or 0x4d3cb2a1))
        {
            return null;
        }

        var snaplen = (int)Math.Min(Read(header[16..], swapped), int.MaxValue);
        var linkType = (int)(Read(header[20..], swapped) & 0x03FFFFFF);
        return new PcapFormat(path, swapped, nanos, snaplen, linkType);
    }

    /// <inheritdoc/>
    public RecordParse Parse(ReadOnlySpan<byte> data, long fileOffset, ref FrameRecord frame, out int consumed)
    {
        consumed = 0;
        if (data.Length < RecordHeaderLength)
        {
            return RecordParse.NeedMore;
        }

        var seconds = Read(data, _swapped);
        var fraction = Read(data[4..], _swapped);
        var captured = Read(data[8..], _swapped);
        var wire = Read(data[12..], _swapped);
        if (captured > _maxCaptured)
        {
            throw new CaptureFileFormatException(_path, fileOffset, $"a record claims {captured} captured bytes, more than the {_maxCaptured} allowed");
        }

        if (data.Length < RecordHeaderLength + captured)
        {
            return RecordParse.NeedMore;
        }

        frame.TimestampNs = (seconds * 1_000_000_000L) + (fraction * _tsScale);
        frame.Offset = RecordHeaderLength;
        frame.CapturedLength = (int)captured;
        // Lengths from the file are hostile until checked: a wire length above 2^31 must not turn negative.
        frame.WireLength = (int)Math.Min(Math.Max(wire, captured), int.MaxValue);
        frame.Port = 0;
        frame.Direction = FrameDirection.Unknown;
        frame.VlanTci = 0;
        frame.VlanTpid = 0;
        consumed = RecordHeaderLength + (int)captured;
        return RecordParse.Frame;
    }

    private static uint Read(ReadOnlySpan<byte> data, bool swapped) =>
        swapped ? BinaryPrimitives.ReadUInt32BigEndian(data) : BinaryPrimitives.ReadUInt32LittleEndian(data);
}
