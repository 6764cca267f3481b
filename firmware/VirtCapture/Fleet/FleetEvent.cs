namespace VirtCapture.Fleet;

/// <summary>virtcapture/SITE/BOX/events, QoS 1: one thing that happened, as the box also writes it into its files.</summary>
/// <param name="Time">When it happened.</param>
/// <param name="Box">The box it happened on.</param>
/// <param name="Kind">announced, failover, gone, seen, moved, mark, capture, fault, lost.</param>
/// <param name="Text">One line for a person.</param>
/// <param name="Mac">The VM's MAC, for VM events.</param>
/// <param name="Port">The port, where there is one.</param>
/// <param name="Vlan">The VLAN, where there is one.</param>
public sealed record FleetEvent(DateTimeOffset Time, string Box, string Kind, string Text, string? Mac = null, string? Port = null, int Vlan = 0);
