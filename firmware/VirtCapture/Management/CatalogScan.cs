namespace VirtCapture.Management;

/// <summary>The catalog's summary of one capture file: its frames, the drops they report, first and last time.</summary>
internal struct CatalogScan : IPcapngBlockVisitor
{
    public long Frames { get; private set; }

    public long Drops { get; private set; }

    private PcapngFrameTimes _times;

    public readonly long FirstNs => _times.FirstNs;

    public readonly long LastNs => _times.NewestNs;

    /// <inheritdoc/>
    public bool Visit(in PcapngBlock block, long offset)
    {
        if (block.IsPacket)
        {
            var ts = block.Timestamp;
            Frames++;
            _times.Add(ts);
            Drops += block.PacketDropCount;
        }

        return true;
    }
}
