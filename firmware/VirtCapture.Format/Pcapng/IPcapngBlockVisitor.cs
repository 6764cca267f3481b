namespace VirtCapture.Format.Pcapng;

/// <summary>What a <see cref="PcapngFileScanner"/> does with each whole block (a struct, so the call inlines).</summary>
public interface IPcapngBlockVisitor
{
    /// <summary>Takes the block that starts at <paramref name="offset"/> in the file; false stops the scan before it.</summary>
    bool Visit(in PcapngBlock block, long offset);
}
