namespace VirtCapture.Management;

/// <summary>The catalog's summary of one capture file: its frames, the drops they report, first and last time.</summary>
internal struct CatalogScan : IPcapngBlockVisitor
{
    public long Frames { get; private set; }

    public long Drops { get; private set; }

    public long FirstNs { get; private set; }

    public long LastNs { get; private set; }

    /// <inheritdoc/>
    public bool Visit(in PcapngBlock block, long offset)
    {
        if (block.IsPacket)
        {
            var ts = block.Timestamp;
            Frames++;
            FirstNs = FirstNs == 0 ? ts : FirstNs;
            LastNs = Math.Max(LastNs, ts);
            Drops += block.PacketDropCount;
        }

        return true;
    }
}
