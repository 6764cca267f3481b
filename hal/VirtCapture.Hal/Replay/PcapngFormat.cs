using System.Buffers.Binary;
using System.Text;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Hal.Replay;

/// <summary>pcapng files: one section, interfaces declared before the first packet, any byte order.</summary>
internal sealed class PcapngFormat : ICaptureFileFormat
{
    private const uint SectionHeader = 0x0A0D0D0A;
    private const uint InterfaceDescription = 1;
    private const uint ObsoletePacket = 2;
    private const uint SimplePacket = 3;
    private const uint EnhancedPacket = 6;
    private const int MaxBlockLength = 16 * 1024 * 1024;

    private readonly string _path;
    private readonly List<CapturePort> _ports = [];
    private readonly List<(long Multiplier, long Divisor)> _tsUnits = [];
    private readonly List<int> _snaplens = [];
    private bool _bigEndian;
    private bool _sawPacket;

    private PcapngFormat(string path)
    {
        _path = path;
    }

    /// <inheritdoc/>
    public IReadOnlyList<CapturePort> Ports => _ports;

    /// <summary>Recognizes a pcapng section header, or returns null.</summary>
    public static PcapngFormat? TryOpen(string path, ReadOnlySpan<byte> header)
    {
        return header.Length >= 12 && BinaryPrimitives.ReadUInt32LittleEndian(header) == SectionHeader ? new PcapngFormat(path) : null;
    }

    /// <summary>True once the header blocks up to the first packet are read.</summary>
    public bool HeaderComplete => _sawPacket;

    /// <summary>Tells whether the block at the start of <paramref name="data"/> carries a packet.</summary>
    public bool StartsWithPacket(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && ReadU32(data) is EnhancedPacket or SimplePacket or ObsoletePacket;

    /// <inheritdoc/>
    public RecordParse Parse(ReadOnlySpan<byte> data, long fileOffset, ref FrameRecord frame, out int consumed)
    {
        consumed = 0;
        if (data.Length < 12)
        {
            return RecordParse.NeedMore;
        }

        var type = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (type == SectionHeader)
        {
            // The byte-order magic decides how every later length is read.
            var magic = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
            if (magic != 0x1A2B3C4D && magic != 0x4D3C2B1A)
            {
                throw new CaptureFileFormatException(_path, fileOffset, "section header with an unknown byte-order magic");
            }

            _bigEndian = magic == 0x4D3C2B1A;
        }
        else
        {
            type = ReadU32(data);
        }

        var length = ReadU32(data[4..]);
        if (length < 12 || length % 4 != 0 || length > MaxBlockLength)
        {
            throw new CaptureFileFormatException(_path, fileOffset, $"block of type 0x{type:x} has an impossible length {length}");
        }

        if (data.Length < length)
        {
            return RecordParse.NeedMore;
        }

        var block = data[..(int)length];
        if (ReadU32(block[^4..]) != length)
        {
            throw new CaptureFileFormatException(_path, fileOffset, $"block of type 0x{type:x} has mismatched leading and trailing lengths");
        }

        consumed = (int)length;
        switch (type)
        {
            case SectionHeader when _sawPacket:
                throw new CaptureFileFormatException(_path, fileOffset, "a second section; split the file with editcap first");
            case InterfaceDescription when _sawPacket:
                throw new CaptureFileFormatException(_path, fileOffset, "an interface declared after the first packet is not supported");
            case InterfaceDescription:
                AddInterface(block, fileOffset);
                return RecordParse.Skipped;
            case EnhancedPacket:
            case ObsoletePacket:
                return ParsePacket(block, type, fileOffset, ref frame);
            case SimplePacket:
                return ParseSimple(block, fileOffset, ref frame);
            default:
                return RecordParse.Skipped;
        }
    }

    private RecordParse ParsePacket(ReadOnlySpan<byte> block, uint type, long fileOffset, ref FrameRecord frame)
    {
        _sawPacket = true;
        if (block.Length < 32)
        {
            throw new CaptureFileFormatException(_path, fileOffset, "packet block too short");
        }

        var iface = type == EnhancedPacket ? ReadU32(block[8..]) : ReadU16(block[8..]);
        var tsHigh = ReadU32(block[12..]);
        var tsLow = ReadU32(block[16..]);
        var captured = ReadU32(block[20..]);
        var wire = ReadU32(block[24..]);
        CheckInterface(iface, fileOffset);
        if (captured > block.Length - 32)
        {
            throw new CaptureFileFormatException(_path, fileOffset, $"packet claims {captured} bytes in a block of {block.Length}");
        }

        if (captured == 0)
        {
            // A block with no bytes carries only options (an event comment): nothing to replay.
            return RecordParse.Skipped;
        }

        frame.TimestampNs = ToNanoseconds(((ulong)tsHigh << 32) | tsLow, (int)iface);
        frame.Offset = 28;
        frame.CapturedLength = (int)captured;
        frame.WireLength = (int)Math.Min(Math.Max(wire, captured), int.MaxValue);
        frame.Port = (ushort)iface;
        if (iface > ushort.MaxValue)
        {
            throw new CaptureFileFormatException(_path, fileOffset, $"packet on interface {iface}: more interfaces than a capture can carry");
        }
        frame.VlanTci = 0;
        frame.VlanTpid = 0;
        frame.Direction = FrameDirection.Unknown;
        var optionsStart = 28 + Align4((int)captured);
        var options = block[Math.Min(optionsStart, block.Length - 4)..^4];
        while (options.Length >= 4)
        {
            var code = ReadU16(options);
            var optLength = ReadU16(options[2..]);
            if (code == 0 || 4 + optLength > options.Length)
            {
                break;
            }

            if (code == 2 && optLength == 4 && type == EnhancedPacket)
            {
                frame.Direction = (FrameDirection)(ReadU32(options[4..]) & 3);
            }

            options = options[(4 + Align4(optLength))..];
        }

        return RecordParse.Frame;
    }

    private RecordParse ParseSimple(ReadOnlySpan<byte> block, long fileOffset, ref FrameRecord frame)
    {
        _sawPacket = true;
        CheckInterface(0, fileOffset);
        if (block.Length < 16)
        {
            throw new CaptureFileFormatException(_path, fileOffset, "simple packet block too short");
        }

        var wire = (int)Math.Min(ReadU32(block[8..]), int.MaxValue);
        var captured = Math.Min(wire, block.Length - 16);
        if (_snaplens[0] > 0)
        {
            captured = Math.Min(captured, _snaplens[0]);
        }

        frame.TimestampNs = 0;
        frame.Offset = 12;
        frame.CapturedLength = captured;
        frame.WireLength = Math.Max(wire, captured);
        frame.Port = 0;
        frame.VlanTci = 0;
        frame.VlanTpid = 0;
        frame.Direction = FrameDirection.Unknown;
        return RecordParse.Frame;
    }

    private void AddInterface(ReadOnlySpan<byte> block, long fileOffset)
    {
        if (block.Length < 20)
        {
            throw new CaptureFileFormatException(_path, fileOffset, "interface description block too short");
        }

        int linkType = ReadU16(block[8..]);
        var snaplen = (int)Math.Min(ReadU32(block[12..]), int.MaxValue);
        string? name = null;
        string? description = null;
        (long, long) units = (1000, 1); // default resolution: microseconds
        var options = block[16..^4];
        while (options.Length >= 4)
        {
            var code = ReadU16(options);
            var optLength = ReadU16(options[2..]);
            if (code == 0 || 4 + optLength > options.Length)
            {
                break;
            }

            var value = options.Slice(4, optLength);
            switch (code)
            {
                case 2:
                    name = Encoding.UTF8.GetString(value).TrimEnd('\0');
                    break;
                case 3:
                    description = Encoding.UTF8.GetString(value).TrimEnd('\0');
                    break;
                case 9 when optLength >= 1:
                    units = Resolution(value[0]);
                    break;
            }

            options = options[(4 + Align4(optLength))..];
        }

        var index = _ports.Count;
        _ports.Add(new CapturePort(name ?? $"if{index}", description ?? name ?? $"interface {index} of {Path.GetFileName(_path)}", linkType));
        _tsUnits.Add(units);
        _snaplens.Add(snaplen);
    }

    private static (long Multiplier, long Divisor) Resolution(byte tsresol)
    {
        if ((tsresol & 0x80) == 0)
        {
            var exponent = tsresol;
            return exponent <= 9 ? ((long)Math.Pow(10, 9 - exponent), 1) : (1, (long)Math.Pow(10, Math.Min(18, exponent - 9)));
        }

        // Binary resolutions (2^-n s) are rare; keep ns exact enough by dividing a scaled value.
        var bits = tsresol & 0x7f;
        return (1_000_000_000L, 1L << Math.Min(bits, 62));
    }

    private long ToNanoseconds(ulong ticks, int iface)
    {
        var (multiplier, divisor) = _tsUnits[iface];
        if (divisor == 1)
        {
            return (long)(ticks * (ulong)multiplier);
        }

        return (long)((UInt128)ticks * (ulong)multiplier / (ulong)divisor);
    }

    private void CheckInterface(uint iface, long fileOffset)
    {
        // Unsigned: an interface id of 0x80000000 is not a negative index.
        if (iface >= (uint)_ports.Count)
        {
            throw new CaptureFileFormatException(_path, fileOffset, $"packet on interface {iface}, but the file declares {_ports.Count}");
        }
    }

    private uint ReadU32(ReadOnlySpan<byte> data) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(data) : BinaryPrimitives.ReadUInt32LittleEndian(data);

    private ushort ReadU16(ReadOnlySpan<byte> data) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(data) : BinaryPrimitives.ReadUInt16LittleEndian(data);

    private static int Align4(int value) => (value + 3) & ~3;
}
