namespace VirtCapture.Pipeline;

/// <summary>
/// One port's counts at the pipeline's own stages (the source counts what it received and what the kernel dropped).
/// The capture loop writes the first three, the writer loop the last two; readers take them with volatile reads.
/// </summary>
internal struct PortStage
{
    /// <summary>Frames the user-space filter rejected.</summary>
    public long Filtered;

    /// <summary>Frames that passed the filter.</summary>
    public long Accepted;

    /// <summary>Their bytes on the wire (the page's Mbit/s).</summary>
    public long AcceptedBytes;

    /// <summary>Accepted frames the full buffer could not take.</summary>
    public long BufferDropped;

    /// <summary>Frames written to the files.</summary>
    public long Written;

    /// <summary>Accepted frames the ring could not store because it had stopped (disk full, OnFull=Stop).</summary>
    public long Unstored;
}
