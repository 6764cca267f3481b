namespace VirtCapture.Management.Contracts;

/// <summary>The capture's state after a control request.</summary>
public sealed record StateResponse(string State, string? Filter = null, int? Snaplen = null, IReadOnlyList<string>? Vms = null);
