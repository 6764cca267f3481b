namespace VirtCapture.Configuration;

/// <summary>The <c>Management</c> section.</summary>
public sealed class ManagementOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Management";

    /// <summary>Addresses Kestrel binds (the management port only).</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The bearer token's file: created at first start, readable by the service alone.</summary>
    public string TokenFile { get; set; } = "/var/lib/virtcapture/token";

    /// <summary>Largest request body accepted.</summary>
    public int MaxRequestBytes { get; set; } = 64 * 1024;
}
