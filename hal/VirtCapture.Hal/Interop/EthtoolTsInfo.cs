using System.Runtime.InteropServices;

namespace VirtCapture.Hal.Interop;

/// <summary>
/// <c>struct ethtool_ts_info</c> (include/uapi/linux/ethtool.h): what <c>ETHTOOL_GET_TS_INFO</c> says a NIC can
/// timestamp, the same answer <c>ethtool -T</c> prints.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct EthtoolTsInfo
{
    /// <summary>ETHTOOL_GET_TS_INFO.</summary>
    public const uint GetTsInfo = 0x41;

    /// <summary>The ethtool command.</summary>
    public uint Command;

    /// <summary>SOF_TIMESTAMPING_* bits the device supports.</summary>
    public uint SoTimestamping;

    /// <summary>The PTP hardware clock's index (/dev/ptpN), or -1 for none.</summary>
    public int PhcIndex;

    /// <summary>Bit per HWTSTAMP_TX_* mode.</summary>
    public uint TxTypes;

    /// <summary>Reserved by the kernel.</summary>
    public fixed uint TxReserved[3];

    /// <summary>Bit per HWTSTAMP_FILTER_* receive filter.</summary>
    public uint RxFilters;

    /// <summary>Reserved by the kernel.</summary>
    public fixed uint RxReserved[3];
}
