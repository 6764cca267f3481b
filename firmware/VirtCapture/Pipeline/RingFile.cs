namespace VirtCapture.Pipeline;

/// <summary>A finished file of the ring.</summary>
/// <param name="Path">Full path.</param>
/// <param name="Sequence">Its sequence number (0 for a single output file).</param>
public sealed record RingFile(string Path, long Sequence);
