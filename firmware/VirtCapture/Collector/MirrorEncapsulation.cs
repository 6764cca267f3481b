namespace VirtCapture.Collector;

/// <summary>How a virtual switch wrapped the frames it mirrors to the box.</summary>
internal enum MirrorEncapsulation
{
    /// <summary>ERSPAN type I: GRE 0x88BE without a sequence number, no ERSPAN header.</summary>
    ErspanI,

    /// <summary>ERSPAN type II: GRE 0x88BE with a sequence number, 8-byte header (session ID, VLAN, COS, index).</summary>
    ErspanII,

    /// <summary>ERSPAN type III: GRE 0x22EB, 12-byte header (timestamp, direction, SGT, hardware ID), optional platform sub-header.</summary>
    ErspanIII,

    /// <summary>GRE transparent Ethernet bridging (0x6558): gretap, Open vSwitch and OVN mirror ports.</summary>
    GreEthernet,

    /// <summary>VXLAN (UDP 4789, or Linux's 8472).</summary>
    Vxlan,

    /// <summary>Geneve (UDP 6081).</summary>
    Geneve,
}
