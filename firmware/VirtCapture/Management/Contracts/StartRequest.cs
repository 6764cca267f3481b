namespace VirtCapture.Management.Contracts;

/// <summary>POST /api/capture/start's optional body.</summary>
/// <param name="Filter">The capture filter.</param>
/// <param name="Snaplen">Bytes kept of each frame.</param>
/// <param name="Vms">Capture only these VMs (MAC or MAC@VLAN).</param>
/// <param name="Sessions">A collector: record only these mirror sessions (KIND-ID@SOURCE); empty: every session.</param>
public sealed record StartRequest(string? Filter, int? Snaplen, List<string?>? Vms, List<string?>? Sessions = null);
