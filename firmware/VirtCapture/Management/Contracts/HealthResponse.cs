namespace VirtCapture.Management.Contracts;

/// <summary>GET /health.</summary>
public sealed record HealthResponse(string Status);
