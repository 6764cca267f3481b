namespace VirtCapture.Configuration;

/// <summary>The <c>Capture</c> section.</summary>
/// <remarks>
/// Treated as immutable once bound: the setters are for the configuration binder, which binds into an existing
/// instance; a change (the API's) is a new record made with <c>with</c>.
/// </remarks>
public sealed record CaptureOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Capture";

    /// <summary>Allowed modes.</summary>
    public static readonly string[] Modes = Enum.GetNames<CaptureMode>();

    /// <summary>Allowed backends.</summary>
    public static readonly string[] Backends = Enum.GetNames<CaptureBackend>();

    /// <summary>The capture ports (default: A on eth1, B on eth2).</summary>
    public List<PortOptions> Ports { get; set; } = [];

    /// <summary>Inline (ports bridged, the box in the path) or Monitor (a SPAN feed).</summary>
    public string Mode { get; set; } = "Inline";

    /// <summary>AfPacket, Libpcap, Replay (a file) or Synthetic (the simulated board's traffic).</summary>
    public string Backend { get; set; } = "AfPacket";

    /// <summary>Capture filter in tcpdump/Wireshark capture-filter syntax ("" = everything).</summary>
    public string Filter { get; set; } = string.Empty;

    /// <summary>Bytes kept of each frame.</summary>
    public int Snaplen { get; set; } = 262144;

    /// <summary>Start capturing as soon as the firmware is up.</summary>
    public bool StartOnBoot { get; set; } = true;

    /// <summary>Memory between the capture and the disk, in MiB.</summary>
    public int BufferMB { get; set; } = 64;

    /// <summary>Kernel receive ring of each port, in MiB (AfPacket; the Libpcap backend's buffer size).</summary>
    public int RingMB { get; set; } = 64;

    /// <summary>Accept capture interfaces that have an IP address (normally refused: capture ports stay silent).</summary>
    public bool AllowPortAddresses { get; set; }

    /// <summary>The bridge created for Inline mode when the ports are not bridged already.</summary>
    public string BridgeName { get; set; } = "vcbr0";

    /// <summary>Capture only these VMs: MAC addresses, each optionally @VLAN.</summary>
    public List<string> Vms { get; set; } = [];

    /// <summary>
    /// Triggers, one per line: <c>NAME: filter=BPF; count=N; within=T; pre=T; post=T; holdoff=T</c> (or <c>event=KIND</c>
    /// instead of a filter). Each that fires keeps the frames around it as an incident.
    /// </summary>
    public List<string> Triggers { get; set; } = [];

    /// <summary>Stop conditions of a capture: <c>frames=N; bytes=N[KB|MB|GB]; duration=T; filter=BPF</c>; empty: none.</summary>
    public string StopAfter { get; set; } = string.Empty;

    /// <summary>The file replayed by the Replay backend.</summary>
    public string ReplayFile { get; set; } = string.Empty;

    /// <summary>Frames per second of the Synthetic backend.</summary>
    public double SyntheticRate { get; set; } = 200;

    /// <summary>The mirror-session collector, or null (ports only listen).</summary>
    public CollectorOptions? Collector { get; set; }

    /// <summary>True when a collector address is configured.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsCollector => Collector is { Address.Length: > 0 };

    /// <summary>The parsed <see cref="Mode"/> (valid after validation).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public CaptureMode ModeKind => Enum.Parse<CaptureMode>(Mode, ignoreCase: true);

    /// <summary>The parsed <see cref="Backend"/> (valid after validation).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public CaptureBackend BackendKind => Enum.Parse<CaptureBackend>(Backend, ignoreCase: true);
}
