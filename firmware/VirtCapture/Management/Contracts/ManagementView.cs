namespace VirtCapture.Management.Contracts;

/// <summary>The management settings shown by GET /api/config (never the token).</summary>
public sealed record ManagementView(string Urls);
