namespace VirtCapture.Configuration;

/// <summary>The <c>Management</c> section.</summary>
public sealed class ManagementOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Management";

    /// <summary>
    /// Addresses Kestrel binds (the management port only). https:// is served with the box's own certificate; http://
    /// only on loopback, or with <see cref="AllowPlainHttp"/>.
    /// </summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The bearer token's file: created at first start, readable by the service alone.</summary>
    public string TokenFile { get; set; } = "/var/lib/virtcapture/token";

    /// <summary>The HTTPS certificate (PKCS#12); made at first start. Default: https.pfx beside the token file.</summary>
    public string CertificateFile { get; set; } = string.Empty;

    /// <summary>Serve plain HTTP on addresses other than loopback (the token and captures then cross the network in clear).</summary>
    public bool AllowPlainHttp { get; set; }

    /// <summary>Largest request body accepted.</summary>
    public int MaxRequestBytes { get; set; } = 64 * 1024;

    /// <summary>Most live streams (/api/live) open at once; each may hold 8 MiB queued for a slow client.</summary>
    public int MaxLiveClients { get; set; } = 8;

    /// <summary>How often the web page's live graphs get a sample (server-sent events), in milliseconds.</summary>
    public int LiveIntervalMs { get; set; } = 1000;
}
