namespace VirtCapture.Pipeline;

/// <summary>One port's counters at every stage of the data path, cumulative since the capture started.</summary>
/// <param name="Port">Port name.</param>
/// <param name="Received">Frames the source saw (kernel or file), before any filter.</param>
/// <param name="KernelDropped">Frames the kernel dropped because its ring was full.</param>
/// <param name="FilteredOut">Frames the user-space filter rejected (kernel-filtered frames never get this far).</param>
/// <param name="Accepted">Frames that passed the filter.</param>
/// <param name="BufferDropped">Accepted frames dropped because the capture buffer was full (disk too slow).</param>
/// <param name="Written">Frames written to the files.</param>
/// <param name="AcceptedBytes">Wire bytes of the accepted frames.</param>
public sealed record PortCounters(string Port, long Received, long KernelDropped, long FilteredOut, long Accepted, long BufferDropped, long Written, long AcceptedBytes = 0)
{
    /// <summary>Every frame lost on the way, wherever it was lost.</summary>
    public long Dropped => KernelDropped + BufferDropped;
}
