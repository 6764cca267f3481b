namespace VirtCapture.Hal.Synthetic;

/// <summary>A talker in generated traffic: a VM's virtual NIC or a physical device.</summary>
/// <param name="Mac">Its MAC address (6 bytes).</param>
/// <param name="Vlan">Its VLAN id, or 0 for untagged frames.</param>
/// <param name="Ipv4">Its IPv4 address (4 bytes).</param>
/// <param name="Port">The port behind which it sits (0 = A, the host side; 1 = B, the switch side).</param>
public sealed record SyntheticHost(byte[] Mac, ushort Vlan, byte[] Ipv4, ushort Port);
