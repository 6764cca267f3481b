namespace VirtCapture.Management.Contracts;

/// <summary>One capture port in the status.</summary>
public sealed record PortStatus(string Name, string Description, LinkStatus Link, CounterStatus Counters);
