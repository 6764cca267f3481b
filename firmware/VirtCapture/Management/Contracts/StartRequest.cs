namespace VirtCapture.Management.Contracts;

/// <summary>POST /api/capture/start's optional body.</summary>
public sealed record StartRequest(string? Filter, int? Snaplen, List<string?>? Vms);
