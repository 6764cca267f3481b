namespace VirtCapture.Management.Contracts;

/// <summary>POST /api/capture/start's optional body.</summary>
/// <param name="Filter">The capture filter.</param>
/// <param name="Snaplen">Bytes kept of each frame.</param>
/// <param name="Vms">Capture only these VMs (MAC or MAC@VLAN).</param>
/// <param name="Sessions">A collector: record only these mirror sessions (KIND-ID@SOURCE); empty: every session.</param>
/// <param name="Triggers">Trigger rules, one per entry (NAME: filter=BPF; count=N; within=T; pre=T; post=T; holdoff=T).</param>
/// <param name="StopAfter">Stop conditions (frames=N; bytes=N[KB|MB|GB]; duration=T; filter=BPF); empty: none.</param>
public sealed record StartRequest(string? Filter, int? Snaplen, List<string?>? Vms, List<string?>? Sessions = null, List<string?>? Triggers = null, string? StopAfter = null);
