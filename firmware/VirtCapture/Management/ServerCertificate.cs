using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VirtCapture.Configuration;

namespace VirtCapture.Management;

/// <summary>
/// The management port's HTTPS certificate: self-signed, made at first start beside the token (PKCS#12, mode 0600),
/// and recognised by its SHA-256 fingerprint, which <c>virtcapture token</c> prints, the log shows at start and the
/// page shows. A box at a customer site has no name a public CA would sign, so the fingerprint is what a client pins.
/// </summary>
internal static class ServerCertificate
{
    /// <summary>The certificate file for these options: Management:CertificateFile, or https.pfx beside the token.</summary>
    public static string PathFor(ManagementOptions options) => options.CertificateFile is { Length: > 0 } file
        ? Path.GetFullPath(file)
        : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.TokenFile))!, "https.pfx");

    /// <summary>Loads the certificate, creating it first if there is none.</summary>
    /// <exception cref="UserErrorException">The file cannot be read or written (with its path).</exception>
    public static X509Certificate2 LoadOrCreate(ManagementOptions options)
    {
        var path = PathFor(options);
        try
        {
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                using var created = Create(options);
                using var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
                file.Write(created.Export(X509ContentType.Pkcs12));
                file.Flush(flushToDisk: true);
            }

            return X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new UserErrorException($"Management:CertificateFile {path}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    /// <summary>The fingerprint of the certificate these options use, if it exists and can be read.</summary>
    public static string? Fingerprint(ManagementOptions options)
    {
        var path = PathFor(options);
        try
        {
            using var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
            return Describe(certificate);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return null;
        }
    }

    /// <summary>"AB:CD:… (curl --pinnedpubkey sha256//…)": the certificate's SHA-256 and its public key's pin.</summary>
    public static string Describe(X509Certificate2 certificate) =>
        $"{certificate.GetCertHashString(HashAlgorithmName.SHA256).Chunk(2).Select(c => new string(c)).Aggregate((a, b) => a + ":" + b)} (curl --pinnedpubkey sha256//{Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()))})";

    private static X509Certificate2 Create(ManagementOptions options)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=VirtCapture {Environment.MachineName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddDnsName(Environment.MachineName);
        names.AddIpAddress(IPAddress.Loopback);
        foreach (var url in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && !address.Equals(IPAddress.Any) && !IPAddress.IsLoopback(address))
            {
                names.AddIpAddress(address);
            }
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(20));
    }
}
