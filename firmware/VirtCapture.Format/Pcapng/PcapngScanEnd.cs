namespace VirtCapture.Format.Pcapng;

/// <summary>Where a scan of a file stopped.</summary>
/// <param name="Offset">The end of the last block the visitor took: what a repair keeps.</param>
/// <param name="Problem">Why the blocks stopped before the end of the file, or null (clean end, or the visitor stopped).</param>
public readonly record struct PcapngScanEnd(long Offset, string? Problem);
