using System.Runtime.InteropServices;

namespace VirtCapture.Hal.Interop;

/// <summary><c>struct hwtstamp_config</c> (include/uapi/linux/net_tstamp.h), for <c>SIOCSHWTSTAMP</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct HwtstampConfig
{
    /// <summary>HWTSTAMP_TX_OFF: the box never transmits on a capture port.</summary>
    public const int TxOff = 0;

    /// <summary>HWTSTAMP_FILTER_ALL: stamp every received frame.</summary>
    public const int FilterAll = 1;

    /// <summary>Flags (none are used).</summary>
    public int Flags;

    /// <summary>HWTSTAMP_TX_* mode.</summary>
    public int TxType;

    /// <summary>HWTSTAMP_FILTER_* receive filter; the driver may widen it.</summary>
    public int RxFilter;
}
