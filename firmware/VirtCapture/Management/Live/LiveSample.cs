namespace VirtCapture.Management.Live;

/// <summary>The box once per interval, as the page's graphs plot it.</summary>
/// <param name="Sequence">Increases by one per sample.</param>
/// <param name="TimeMs">When, in milliseconds since 1970 (UTC).</param>
/// <param name="State">capturing, stopping or idle.</param>
/// <param name="Ports">Each port.</param>
/// <param name="Vms">Each VM's rate.</param>
/// <param name="CurrentFile">The ring file being written (the page reloads the ring's timeline when it changes).</param>
/// <param name="VmEvents">How many VM events the inventory has recorded (the page reloads them when it changes).</param>
/// <param name="Leds">Each LED's pattern, as in <c>/api/status</c>.</param>
public sealed record LiveSample(long Sequence, long TimeMs, string State, IReadOnlyList<LivePortSample> Ports, IReadOnlyList<LiveVmRate> Vms, string? CurrentFile, long VmEvents, IReadOnlyDictionary<string, string> Leds);
