namespace VirtCapture.Pipeline;

/// <summary>A finished file of the ring.</summary>
/// <param name="Path">Full path.</param>
/// <param name="Sequence">Its sequence number (0 for a single output file).</param>
/// <param name="EndNs">No frame in it is newer than this (capture time); 0 when unknown (a file from an earlier run).</param>
public sealed record RingFile(string Path, long Sequence, long EndNs = 0);
