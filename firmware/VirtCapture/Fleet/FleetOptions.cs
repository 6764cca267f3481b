namespace VirtCapture.Fleet;

/// <summary>
/// <c>Fleet</c>: the box as one of many on a site, coordinated through an MQTT 5 broker. Without
/// <see cref="Broker"/> the box talks to no broker and behaves as a box on its own.
/// </summary>
public sealed record FleetOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Fleet";

    /// <summary>The broker: <c>mqtt://host:1883</c>, or <c>mqtts://host:8883</c> for TLS. Empty: no fleet.</summary>
    public string Broker { get; set; } = string.Empty;

    /// <summary>The site: the second level of every topic.</summary>
    public string Site { get; set; } = "site";

    /// <summary>This box's name on the site (default: the host name).</summary>
    public string Box { get; set; } = string.Empty;

    /// <summary>A file holding <c>user:password</c> for the broker, readable by its owner only (0600).</summary>
    public string CredentialsFile { get; set; } = string.Empty;

    /// <summary>MQTT keep-alive: a box that dies shows offline within 1.5 times this.</summary>
    public int KeepAliveSeconds { get; set; } = 10;

    /// <summary>How often the counters are published.</summary>
    public int StatusIntervalSeconds { get; set; } = 5;

    /// <summary>Events kept while the broker is unreachable; beyond it the oldest are not, and their number is told.</summary>
    public int EventQueueLimit { get; set; } = 10_000;

    /// <summary>The management URL other boxes and tools use to reach this box's API (for fleet queries).</summary>
    public string ManagementUrl { get; set; } = string.Empty;

    /// <summary>True when a broker is configured.</summary>
    public bool Enabled => Broker.Length > 0;

    /// <summary>The box's name as used in topics.</summary>
    public string BoxName => Box.Length > 0 ? Box : Environment.MachineName;
}
