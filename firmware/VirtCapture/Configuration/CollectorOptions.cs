namespace VirtCapture.Configuration;

/// <summary>
/// <c>Capture:Collector</c>: the box as the far end of virtual switches' mirror sessions (ERSPAN, GRE, VXLAN,
/// Geneve). The collector port gets <see cref="Address"/>, the only address a capture port ever gets; the sessions
/// listed become the capture's interfaces.
/// </summary>
public sealed record CollectorOptions
{
    /// <summary>The port <see cref="Port"/> names when the sessions arrive on the management port.</summary>
    public const string ManagementPort = "MGMT";

    /// <summary>
    /// The port (a <c>Capture:Ports</c> name) the mirror sessions arrive on, or <see cref="ManagementPort"/> for the
    /// management port (where that is how the box is reachable).
    /// </summary>
    public string Port { get; set; } = string.Empty;

    /// <summary>With <see cref="Port"/> MGMT: the management port's interface (its addresses stay the system's).</summary>
    public string Interface { get; set; } = string.Empty;

    /// <summary>True when the sessions arrive on the management port.</summary>
    public bool OnManagementPort => Port.Equals(ManagementPort, StringComparison.OrdinalIgnoreCase);

    /// <summary>The collector's address with its prefix length ("192.0.2.10/24"), the target of the mirror sessions.</summary>
    public string Address { get; set; } = string.Empty;

    /// <summary>
    /// The sessions to record, each "KIND-ID@SOURCE": erspan1-0, erspan2-7, erspan3-12, gre-77, vxlan-5001,
    /// geneve-6001 (SOURCE "any": whichever host sends it). None: every session, each as it first arrives.
    /// </summary>
    public List<string> Sessions { get; set; } = [];

    /// <summary>
    /// A frame seen again within this many milliseconds in its session (VNI, ERSPAN session) is a duplicate: counted
    /// per session and not recorded. 0: off.
    /// </summary>
    public int DedupWindowMs { get; set; }

    /// <summary>The one check of a deduplication window, for the configuration and the command line.</summary>
    public static string? DedupProblem(int milliseconds, string key) =>
        milliseconds is < 0 or > 1000 ? $"{key} must be between 0 (off) and 1000 ms, got {milliseconds}" : null;

    /// <summary>With no session listed, the most sessions recorded (each is an interface); later ones are counted.</summary>
    public int MaxSessions { get; set; } = VirtCapture.Collector.DecapsulatingFrameSource.DefaultMaxSessions;
}
