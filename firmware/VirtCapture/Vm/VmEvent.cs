namespace VirtCapture.Vm;

/// <summary>Something a VM did: announced itself, failed over between ports, went quiet.</summary>
/// <param name="Time">When (the frame's time, or when it was noticed).</param>
/// <param name="Kind">"announced", "failover" or "gone".</param>
/// <param name="Mac">The VM's MAC.</param>
/// <param name="Family">Its hypervisor family.</param>
/// <param name="Port">The port.</param>
/// <param name="Vlan">The VLAN (0 = untagged).</param>
/// <param name="Text">The sentence shown to people.</param>
public sealed record VmEvent(DateTimeOffset Time, string Kind, string Mac, string Family, string Port, int Vlan, string Text);
