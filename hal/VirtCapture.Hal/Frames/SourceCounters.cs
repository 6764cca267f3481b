namespace VirtCapture.Hal.Frames;

/// <summary>Counters a source keeps for one port, below user space where it has them.</summary>
/// <param name="Received">Frames the kernel (or the file) handed over or dropped for this port.</param>
/// <param name="KernelDropped">Frames the kernel dropped because its ring was full.</param>
public readonly record struct SourceCounters(long Received, long KernelDropped);
