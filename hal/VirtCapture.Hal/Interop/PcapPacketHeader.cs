using System.Runtime.InteropServices;

namespace VirtCapture.Hal.Interop;

/// <summary>
/// <c>struct pcap_pkthdr</c> on LP64 Linux (x86-64 and arm64): a <c>struct timeval</c> of two longs (the second holds
/// nanoseconds when the handle was opened with nanosecond precision), then the captured and wire lengths.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PcapPacketHeader
{
    /// <summary>Timestamp, seconds.</summary>
    public long Seconds;

    /// <summary>Timestamp fraction: nanoseconds at nanosecond precision.</summary>
    public long Fraction;

    /// <summary>Bytes captured.</summary>
    public uint CapturedLength;

    /// <summary>Bytes on the wire.</summary>
    public uint WireLength;
}
