using System.Buffers.Binary;
using VirtCapture.Format.Pcapng;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Hal.Replay;

/// <summary>
/// pcapng files as the replay source reads them: one section, interfaces declared before the first packet or later (a
/// collector's sessions are declared as they are found), any byte order. The blocks and options are read by the format library; this adapter turns them into frames.
/// </summary>
internal sealed class PcapngFormat : ICaptureFileFormat
{
    private readonly string _path;
    /// <summary>Interfaces a file may declare; more is a damaged or hostile file, not a capture.</summary>
    public const int MaxInterfaces = 1024;

    // Swapped whole when an interface is declared: other threads read a consistent list without a lock.
    private CapturePort[] _ports = [];
    private readonly List<PcapngInterface> _interfaces = [];
    private bool _bigEndian;
    private bool _sawPacket;

    private PcapngFormat(string path)
    {
        _path = path;
    }

    /// <inheritdoc/>
    public IReadOnlyList<CapturePort> Ports => Volatile.Read(ref _ports);

    /// <summary>Recognizes a pcapng section header, or returns null.</summary>
    public static PcapngFormat? TryOpen(string path, ReadOnlySpan<byte> header)
    {
        return header.Length >= 12 && BinaryPrimitives.ReadUInt32LittleEndian(header) == PcapngBlocks.SectionHeaderType ? new PcapngFormat(path) : null;
    }

    /// <summary>True once the header blocks up to the first packet are read.</summary>
    public bool HeaderComplete => _sawPacket;

    /// <summary>Tells whether the block at the start of <paramref name="data"/> carries a packet.</summary>
    public bool StartsWithPacket(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && ReadU32(data) is PcapngBlocks.EnhancedPacketType or PcapngBlocks.SimplePacketType or PcapngBlocks.ObsoletePacketType;

    /// <inheritdoc/>
    public RecordParse Parse(ReadOnlySpan<byte> data, long fileOffset, ref FrameRecord frame, out int consumed)
    {
        consumed = 0;
        if (data.Length < 12)
        {
            return RecordParse.NeedMore;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(data) == PcapngBlocks.SectionHeaderType)
        {
            // The byte-order magic decides how every later length is read.
            var magic = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
            if (magic != PcapngBlocks.ByteOrderMagic && magic != BinaryPrimitives.ReverseEndianness(PcapngBlocks.ByteOrderMagic))
            {
                throw new CaptureFileFormatException(_path, fileOffset, "section header with an unknown byte-order magic");
            }

            _bigEndian = magic != PcapngBlocks.ByteOrderMagic;
        }

        var reader = new PcapngBlockReader(data, _bigEndian);
        if (!reader.TryRead(out var block))
        {
            return reader.Problem is { } problem ? throw new CaptureFileFormatException(_path, fileOffset, problem) : RecordParse.NeedMore;
        }

        consumed = block.Length;
        switch (block.Type)
        {
            case PcapngBlocks.SectionHeaderType when _sawPacket:
                throw new CaptureFileFormatException(_path, fileOffset, "a second section; split the file with editcap first");
            case PcapngBlocks.InterfaceDescriptionType:
                AddInterface(block, fileOffset);
                return RecordParse.Skipped;
            case PcapngBlocks.EnhancedPacketType:
            case PcapngBlocks.ObsoletePacketType:
                return ParsePacket(block, fileOffset, ref frame);
            case PcapngBlocks.SimplePacketType:
                return ParseSimple(block, fileOffset, ref frame);
            default:
                return RecordParse.Skipped;
        }
    }

    private RecordParse ParsePacket(in PcapngBlock block, long fileOffset, ref FrameRecord frame)
    {
        _sawPacket = true;
        if (block.Length < PcapngBlocks.EnhancedPacketOverhead)
        {
            throw new CaptureFileFormatException(_path, fileOffset, "packet block too short");
        }

        var enhanced = block.Type == PcapngBlocks.EnhancedPacketType;
        // The obsolete packet block has a 16-bit interface id followed by a 16-bit drop count.
        var iface = enhanced ? block.Interface : block.ReadUInt16(8);
        var captured = block.ReadUInt32(20);
        CheckInterface(iface, fileOffset);
        if (captured > block.Length - PcapngBlocks.EnhancedPacketOverhead)
        {
            throw new CaptureFileFormatException(_path, fileOffset, $"packet claims {captured} bytes in a block of {block.Length}");
        }

        if (captured == 0)
        {
            // A block with no bytes carries only options (an event comment): nothing to replay.
            return RecordParse.Skipped;
        }

        if (iface > ushort.MaxValue)
        {
            throw new CaptureFileFormatException(_path, fileOffset, $"packet on interface {iface}: more interfaces than a capture can carry");
        }

        frame.TimestampNs = _interfaces[(int)iface].ToNanoseconds((ulong)block.Timestamp);
        frame.Offset = 28;
        frame.CapturedLength = (int)captured;
        frame.WireLength = (int)Math.Min(Math.Max(block.ReadUInt32(24), captured), int.MaxValue);
        frame.Port = (ushort)iface;
        frame.VlanTci = 0;
        frame.VlanTpid = 0;
        frame.Direction = enhanced ? (FrameDirection)(block.PacketFlags & 3) : FrameDirection.Unknown;
        return RecordParse.Frame;
    }

    private RecordParse ParseSimple(in PcapngBlock block, long fileOffset, ref FrameRecord frame)
    {
        _sawPacket = true;
        CheckInterface(0, fileOffset);
        if (block.Length < 16)
        {
            throw new CaptureFileFormatException(_path, fileOffset, "simple packet block too short");
        }

        var wire = (int)Math.Min(block.ReadUInt32(8), int.MaxValue);
        var captured = Math.Min(wire, block.Length - 16);
        if (_interfaces[0].Snaplen > 0)
        {
            captured = Math.Min(captured, _interfaces[0].Snaplen);
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

    private void AddInterface(in PcapngBlock block, long fileOffset)
    {
        var declared = PcapngInterface.Read(block) ?? throw new CaptureFileFormatException(_path, fileOffset, "interface description block too short");
        var index = _ports.Length;
        if (index >= MaxInterfaces)
        {
            throw new CaptureFileFormatException(_path, fileOffset, $"more than {MaxInterfaces} interfaces declared");
        }

        if (_sawPacket && declared.LinkType != _ports[0].LinkType)
        {
            // The capture filter was compiled for the file's link type when the first packet came.
            throw new CaptureFileFormatException(_path, fileOffset, $"interface {index} declared after the first packet with link type {declared.LinkType}, not the file's {_ports[0].LinkType}");
        }

        var name = declared.Name;
        _interfaces.Add(declared);
        Volatile.Write(ref _ports, [.. _ports, new CapturePort(name ?? $"if{index}", declared.Description ?? name ?? $"interface {index} of {Path.GetFileName(_path)}", declared.LinkType)]);
    }

    private void CheckInterface(uint iface, long fileOffset)
    {
        // Unsigned: an interface id of 0x80000000 is not a negative index.
        if (iface >= (uint)_ports.Length)
        {
            throw new CaptureFileFormatException(_path, fileOffset, $"packet on interface {iface}, but the file declares {_ports.Length}");
        }
    }

    private uint ReadU32(ReadOnlySpan<byte> data) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(data) : BinaryPrimitives.ReadUInt32LittleEndian(data);
}
