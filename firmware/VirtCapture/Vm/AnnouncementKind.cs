namespace VirtCapture.Vm;

/// <summary>How a VM announced itself on the wire.</summary>
public enum AnnouncementKind
{
    /// <summary>Not an announcement.</summary>
    None,

    /// <summary>RARP (ethertype 0x8035): vMotion and QEMU announce a moved VM this way.</summary>
    Rarp,

    /// <summary>A gratuitous ARP (sender and target address equal).</summary>
    GratuitousArp,

    /// <summary>An unsolicited IPv6 neighbour advertisement.</summary>
    UnsolicitedNeighborAdvertisement,
}
