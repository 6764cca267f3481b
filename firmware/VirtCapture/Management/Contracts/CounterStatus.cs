namespace VirtCapture.Management.Contracts;

/// <summary>A port's counters per stage in the status.</summary>
public sealed record CounterStatus(long Received, long KernelDropped, long FilteredOut, long Accepted, long BufferDropped, long Written);
