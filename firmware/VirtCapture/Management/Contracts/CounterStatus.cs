namespace VirtCapture.Management.Contracts;

/// <summary>A port's counters per stage in the status.</summary>
/// <param name="Received">Frames the source saw.</param>
/// <param name="KernelDropped">Frames the kernel dropped.</param>
/// <param name="FilteredOut">Frames the user-space filter rejected.</param>
/// <param name="Accepted">Frames that passed the filter.</param>
/// <param name="BufferDropped">Accepted frames the full buffer (or a stopped ring) lost.</param>
/// <param name="Written">Frames written to the files.</param>
/// <param name="AcceptedBytes">Wire bytes of the accepted frames.</param>
public sealed record CounterStatus(long Received, long KernelDropped, long FilteredOut, long Accepted, long BufferDropped, long Written, long AcceptedBytes = 0);
