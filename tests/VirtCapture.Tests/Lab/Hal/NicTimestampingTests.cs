using VirtCapture.Hal.AfPacket;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Lab.Hal;

/// <summary>
/// The NIC's timestamping capabilities as the box reads them, against ethtool's own reading, and what a capture port
/// says in its interface description. No NIC here stamps in hardware (veth and lo are software only), so the hardware
/// branch is checked only up to the capability decision.
/// </summary>
public sealed class NicTimestampingTests
{
    [RootFact]
    public void Capabilities_agree_with_ethtool_and_a_software_only_port_says_it_uses_the_kernel_clock()
    {
        using var veth = new VethPair();
        foreach (var iface in new[] { "lo", veth.PortA })
        {
            var ethtool = Run.Program("ethtool", "-T", iface);
            Assert.True(ethtool.ExitCode == 0, ethtool.StdErr);
            var lines = ethtool.StdOut.Split('\n');
            var capabilities = lines.SkipWhile(l => !l.StartsWith("Capabilities:", StringComparison.Ordinal)).Skip(1)
                .TakeWhile(l => l.StartsWith('\t') || l.StartsWith(' ')).Select(l => l.Trim().Split(' ')[0]).ToArray();
            var phc = lines.Single(l => l.StartsWith("PTP Hardware Clock:", StringComparison.Ordinal)).Split(':')[1].Trim();

            var nic = NicTimestamping.Probe("A", iface);

            Assert.NotEmpty(capabilities);
            Assert.Equal(capabilities.Order(), nic.Capabilities.Order());
            Assert.Equal(phc == "none" ? -1 : int.Parse(phc, System.Globalization.CultureInfo.InvariantCulture), nic.PhcIndex);
            Assert.False(nic.StampsEveryFrame, $"{iface}: ethtool lists no hardware receive stamps, yet the box would use them");
        }

        using var source = new AfPacketFrameSource([("A", veth.PortA), ("B", veth.PortB)], string.Empty, 2);
        Assert.All(source.Ports, p => Assert.EndsWith("; timestamps: kernel clock on arrival (the NIC has no hardware timestamps for every frame)", p.Description, StringComparison.Ordinal));
    }

    [RootFact]
    public void A_missing_interface_is_named_with_the_errno()
    {
        var e = Assert.Throws<CaptureDeviceException>(() => NicTimestamping.Probe("B", "vcnosuch0"));
        Assert.StartsWith("port B (vcnosuch0): ETHTOOL_GET_TS_INFO failed: No such device (errno 19)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_a_NIC_that_stamps_every_received_frame_on_its_raw_clock_is_used()
    {
        const uint software = 0b1_1010; // software-transmit, software-receive, software-system-clock
        const uint hardware = NicTimestamping.RxHardware | NicTimestamping.RawHardware | 1; // + hardware-transmit
        Assert.False(new NicTimestamping(software, -1, 0).StampsEveryFrame);
        Assert.True(new NicTimestamping(hardware | software, 0, 0b11).StampsEveryFrame);
        // PTP-only receive filters (HWTSTAMP_FILTER_PTP_V2_EVENT = 12): a capture would get stamps on PTP frames only.
        Assert.False(new NicTimestamping(hardware, 0, 1u << 12).StampsEveryFrame);
        Assert.Equal(["hardware-transmit", "hardware-receive", "hardware-raw-clock"], new NicTimestamping(hardware, 0, 0).Capabilities);
    }
}
