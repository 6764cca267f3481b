using System.Runtime.InteropServices;
using VirtCapture.Hal.Interop;
using static VirtCapture.Hal.Interop.LibcNative;

namespace VirtCapture.Hal.AfPacket;

/// <summary>
/// What a NIC can timestamp, as the kernel tells <c>ethtool -T</c> (ETHTOOL_GET_TS_INFO), and whether a capture port
/// can have every received frame stamped by the NIC's own clock instead of the kernel's on arrival.
/// </summary>
/// <param name="SoTimestamping">SOF_TIMESTAMPING_* bits the device supports.</param>
/// <param name="PhcIndex">The PTP hardware clock's index (/dev/ptpN), -1 for none.</param>
/// <param name="RxFilters">Bit per HWTSTAMP_FILTER_* mode the device offers.</param>
public sealed record NicTimestamping(uint SoTimestamping, int PhcIndex, uint RxFilters)
{
    /// <summary>SOF_TIMESTAMPING_RX_HARDWARE.</summary>
    public const uint RxHardware = 1 << 2;

    /// <summary>SOF_TIMESTAMPING_RAW_HARDWARE: the NIC's clock as it is (what AF_PACKET's PACKET_TIMESTAMP takes).</summary>
    public const uint RawHardware = 1 << 6;

    // ethtool's names for the SOF_TIMESTAMPING_* bits, in bit order (ethtool's own table, netlink/tsinfo.c).
    private static readonly string[] CapabilityNames =
    [
        "hardware-transmit", "software-transmit", "hardware-receive", "software-receive", "software-system-clock",
        "hardware-legacy-clock", "hardware-raw-clock",
    ];

    /// <summary>
    /// True when the NIC can stamp every received frame with its raw hardware clock: hardware receive timestamps, a raw
    /// clock, and the "all frames" receive filter (a NIC that stamps only PTP frames is no use to a capture).
    /// </summary>
    public bool StampsEveryFrame =>
        (SoTimestamping & (RxHardware | RawHardware)) == (RxHardware | RawHardware) && (RxFilters & (1u << HwtstampConfig.FilterAll)) != 0;

    /// <summary>The capabilities under ethtool's names, as <c>ethtool -T</c> lists them.</summary>
    public IReadOnlyList<string> Capabilities =>
        CapabilityNames.Where((_, bit) => (SoTimestamping & (1u << bit)) != 0).ToArray();

    /// <summary>Asks the kernel what <paramref name="iface"/> (capture port <paramref name="port"/>) can timestamp.</summary>
    /// <exception cref="CaptureDeviceException">The interface does not exist or the kernel refused (errno in the message).</exception>
    public static unsafe NicTimestamping Probe(string port, string iface)
    {
        var fd = socket(AF_INET, SOCK_DGRAM, 0);
        if (fd < 0)
        {
            throw CaptureDeviceException.FromErrno(port, iface, "socket for ETHTOOL_GET_TS_INFO");
        }

        try
        {
            var info = new EthtoolTsInfo { Command = EthtoolTsInfo.GetTsInfo };
            var request = InterfaceRequest.For(iface, &info);
            if (ioctl(fd, SIOCETHTOOL, &request) != 0)
            {
                throw CaptureDeviceException.FromErrno(port, iface, "ETHTOOL_GET_TS_INFO");
            }

            return new NicTimestamping(info.SoTimestamping, info.PhcIndex, info.RxFilters);
        }
        finally
        {
            close(fd);
        }
    }

    /// <summary>
    /// Switches <paramref name="iface"/>'s receive timestamping on for every frame (SIOCSHWTSTAMP, HWTSTAMP_FILTER_ALL;
    /// transmit stays off). Returns null on success, else why not (the errno), so the caller falls back to the kernel's
    /// clock and says so.
    /// </summary>
    public static unsafe string? EnableReceive(int fd, string iface)
    {
        var config = new HwtstampConfig { TxType = HwtstampConfig.TxOff, RxFilter = HwtstampConfig.FilterAll };
        var request = InterfaceRequest.For(iface, &config);
        if (ioctl(fd, SIOCSHWTSTAMP, &request) == 0)
        {
            return null;
        }

        var errno = Marshal.GetLastPInvokeError();
        return $"SIOCSHWTSTAMP refused: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
    }
}
