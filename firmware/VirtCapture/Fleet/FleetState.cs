using VirtCapture.Management.Contracts;

namespace VirtCapture.Fleet;

/// <summary>virtcapture/SITE/BOX/state, retained: the box's birth, or its death (the MQTT Will: <c>online</c> false).</summary>
/// <param name="Online">False in the Will, published by the broker when the box dies or loses the network.</param>
/// <param name="Box">The box's name.</param>
/// <param name="Version">Firmware version.</param>
/// <param name="Mode">Inline or Monitor (collector).</param>
/// <param name="State">capturing, idle, stopping.</param>
/// <param name="Ports">Ports and their links.</param>
/// <param name="ManagementUrl">Where this box's API answers (for fleet queries).</param>
/// <param name="Clock">Whether the clock is synchronised, and by what.</param>
/// <param name="Time">When this was published.</param>
public sealed record FleetState(bool Online, string Box, string? Version, string? Mode, string? State, IReadOnlyList<PortStatus>? Ports, string? ManagementUrl, ClockStatus? Clock, DateTimeOffset Time);
