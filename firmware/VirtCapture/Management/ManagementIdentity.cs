namespace VirtCapture.Management;

/// <summary>How clients recognise this box: the HTTPS certificate's fingerprint, when the box serves HTTPS.</summary>
/// <param name="CertificateFingerprint">SHA-256 of the certificate and the curl pin of its key; null without HTTPS.</param>
internal sealed record ManagementIdentity(string? CertificateFingerprint);
