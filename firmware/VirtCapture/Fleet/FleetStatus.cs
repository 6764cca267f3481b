using VirtCapture.Management.Contracts;

namespace VirtCapture.Fleet;

/// <summary>virtcapture/SITE/BOX/status, every few seconds: the counters of the box's one snapshot.</summary>
/// <param name="Time">When the snapshot was taken.</param>
/// <param name="State">capturing, idle, stopping.</param>
/// <param name="Fault">The fault shown, if any.</param>
/// <param name="Ports">Per port and per stage.</param>
/// <param name="DiskFree">Free bytes on the capture disk.</param>
/// <param name="DiskTotal">Size of the capture disk.</param>
/// <param name="CurrentFile">The file being written.</param>
/// <param name="EventsLost">Events not published because the queue was full while the broker was away.</param>
public sealed record FleetStatus(DateTimeOffset Time, string State, string? Fault, IReadOnlyList<PortStatus> Ports, long DiskFree, long DiskTotal, string? CurrentFile, long EventsLost);
