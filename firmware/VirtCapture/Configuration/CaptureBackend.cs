namespace VirtCapture.Configuration;

/// <summary>Where frames come from (<c>Capture:Backend</c>).</summary>
public enum CaptureBackend
{
    /// <summary>AF_PACKET TPACKET_V3 rings, the filter in the kernel.</summary>
    AfPacket,

    /// <summary>libpcap, the same kernel filter.</summary>
    Libpcap,

    /// <summary>A pcap or pcapng file played back (<c>Capture:ReplayFile</c>).</summary>
    Replay,

    /// <summary>Generated traffic, for the simulated board.</summary>
    Synthetic,
}
