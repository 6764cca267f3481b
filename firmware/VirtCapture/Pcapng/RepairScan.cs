using VirtCapture.Hal.Libpcap;

namespace VirtCapture.Pcapng;

/// <summary>
/// Repair's view of a file, block by block: every block must be whole and sound (<see cref="PcapngBlockCheck"/>)
/// in one little-endian section; the first that is not ends what is kept.
/// </summary>
internal struct RepairScan : IPcapngBlockVisitor
{
    public RepairScan(string path)
    {
        Path = path;
    }

    /// <summary>The file, for messages.</summary>
    public string Path { get; }

    public long Blocks { get; private set; }

    public long Frames { get; private set; }

    public int Interfaces { get; private set; }

    public List<long> FramesPerInterface { get; } = [];

    private PcapngFrameTimes _times;

    /// <summary>The first and the newest frame's time.</summary>
    public readonly PcapngFrameTimes Times => _times;

    /// <summary>Why the blocks kept end where they do, or null.</summary>
    public string? StopReason { get; set; }

    /// <inheritdoc/>
    public bool Visit(in PcapngBlock block, long offset)
    {
        if (offset == 0 && (block.Type != PcapngBlocks.SectionHeaderType || block.Length < 12 || block.ReadUInt32(8) != PcapngBlocks.ByteOrderMagic))
        {
            throw new InvalidDataException($"{Path} does not start with a little-endian pcapng section header");
        }

        if (offset > 0 && block.Type == PcapngBlocks.SectionHeaderType)
        {
            StopReason = "a second section";
            return false;
        }

        if (PcapngBlockCheck.Problem(block.Bytes, Interfaces) is { } problem)
        {
            StopReason = $"block at byte {offset}: {problem}";
            return false;
        }

        if (block.Type == PcapngBlocks.InterfaceDescriptionType)
        {
            // A damaged interface declaration can be whole and well-formed and still name a link type nobody decodes.
            // Cutting there would cut every later frame of every port with it: the file is set aside whole instead.
            var linkType = block.ReadUInt16(8);
            if (!LibpcapLinkTypes.IsKnown(linkType))
            {
                throw new InvalidDataException($"{Path}: at byte {offset}, interface {Interfaces} declares link type {linkType}, which libpcap does not know");
            }

            Interfaces++;
            FramesPerInterface.Add(0);
        }
        else if (block.Type == PcapngBlocks.EnhancedPacketType)
        {
            var ts = block.Timestamp;
            FramesPerInterface[(int)block.Interface]++;
            Frames++;
            _times.Add(ts);
        }

        Blocks++;
        return true;
    }
}
