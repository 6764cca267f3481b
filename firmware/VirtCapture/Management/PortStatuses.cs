using VirtCapture.Daemon;
using VirtCapture.Management.Contracts;

namespace VirtCapture.Management;

/// <summary>The ports of the box's one snapshot as the API and the fleet show them.</summary>
internal static class PortStatuses
{
    /// <summary>Each port: name, description, link, counters per stage.</summary>
    public static PortStatus[] Of(BoxSnapshot now) => [.. now.Ports.Select(p => new PortStatus(p.Counters.Port, p.Description, new LinkStatus(p.Link.Up, p.Link.SpeedMbps, p.Link.Changes),
        new CounterStatus(p.Counters.Received, p.Counters.KernelDropped, p.Counters.FilteredOut, p.Counters.Accepted, p.Counters.BufferDropped, p.Counters.Written, p.Counters.AcceptedBytes)))];
}
