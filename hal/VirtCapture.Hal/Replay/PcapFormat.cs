using VirtCapture.Format.Pcap;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Hal.Replay;


/// <summary>Classic libpcap files: microsecond or nanosecond magic, either byte order.</summary>
internal sealed class PcapFormat : ICaptureFileFormat
{
    /// <summary>Length of the file header.</summary>
    public const int HeaderLength = PcapFileHeader.Length;

    private readonly string _path;
    private readonly PcapFileHeader _header;
    private readonly int _maxCaptured;

    private PcapFormat(string path, PcapFileHeader header)
    {
        _path = path;
        _header = header;
        // libpcap refuses records above the larger of the file's snaplen and its own 262144 ceiling; so do we.
        _maxCaptured = Math.Max(header.Snaplen, 262144);
        Ports = [new CapturePort("if0", $"replayed from {System.IO.Path.GetFileName(path)}", header.LinkType)];
    }

    /// <inheritdoc/>
    public IReadOnlyList<CapturePort> Ports { get; }

    /// <summary>Recognizes a classic pcap header (either byte order, µs or ns), or returns null.</summary>
    public static PcapFormat? TryOpen(string path, ReadOnlySpan<byte> header) =>
        PcapFileHeader.TryRead(header, out var file) ? new PcapFormat(path, file) : null;

    /// <inheritdoc/>
    public RecordParse Parse(ReadOnlySpan<byte> data, long fileOffset, ref FrameRecord frame, out int consumed)
    {
        consumed = 0;
        if (data.Length < PcapFileHeader.RecordHeaderLength)
        {
            return RecordParse.NeedMore;
        }

        _header.ReadRecord(data, out var timestampNs, out var captured, out var wire);
        if (captured > _maxCaptured)
        {
            throw new CaptureFileFormatException(_path, fileOffset, $"a record claims {captured} captured bytes, more than the {_maxCaptured} allowed");
        }

        if (data.Length < PcapFileHeader.RecordHeaderLength + captured)
        {
            return RecordParse.NeedMore;
        }

        frame.TimestampNs = timestampNs;
        frame.Offset = PcapFileHeader.RecordHeaderLength;
        frame.CapturedLength = (int)captured;
        // Lengths from the file are hostile until checked: a wire length above 2^31 must not turn negative.
        frame.WireLength = (int)Math.Min(Math.Max(wire, captured), int.MaxValue);
        frame.Port = 0;
        frame.Direction = FrameDirection.Unknown;
        frame.VlanTci = 0;
        frame.VlanTpid = 0;
        consumed = PcapFileHeader.RecordHeaderLength + (int)captured;
        return RecordParse.Frame;
    }
}
