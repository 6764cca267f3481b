using VirtCapture.Vm;

namespace VirtCapture.Management.Contracts;

/// <summary>GET /api/status.</summary>
public sealed record StatusResponse(
    string State,
    string? Fault,
    bool SafeToUnplug,
    string Mode,
    string Backend,
    string Filter,
    int Snaplen,
    string? CurrentFile,
    IReadOnlyList<PortStatus> Ports,
    StorageStatus Storage,
    IReadOnlyDictionary<string, string> Leds,
    string Board,
    CapacityAdvice Capacity,
    long UptimeSeconds,
    string? Version,
    VmInventoryStatus Vms,
    CollectorStatus? Collector = null);
