namespace VirtCapture.Management.Contracts;

/// <summary>The management settings shown by GET /api/config (never the token), and the HTTPS certificate's fingerprint.</summary>
public sealed record ManagementView(string Urls, string? CertificateFingerprint = null);
