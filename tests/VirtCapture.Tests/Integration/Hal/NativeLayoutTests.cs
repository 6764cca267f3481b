using VirtCapture.Hal.Interop;
using System.Globalization;
using System.Runtime.InteropServices;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Hal;

/// <summary>
/// The named native structs against the C compiler's own view of the kernel's and libpcap's headers: every field we
/// read sits where offsetof() says it does.
/// </summary>
public sealed class NativeLayoutTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Every_field_read_from_the_ring_and_from_libpcap_is_at_the_C_offset()
    {
        var source = _dir.File("offsets.c");
        File.WriteAllText(source, """
            #include <stdio.h>
            #include <stddef.h>
            #include <linux/if_packet.h>
            #include <pcap/pcap.h>
            #include <sys/statvfs.h>
            #include <sys/timex.h>
            #include <net/if.h>
            #include <linux/ethtool.h>
            #include <linux/net_tstamp.h>
            #define P(t, f) printf(#t "." #f " %zu\n", offsetof(struct t, f))
            int main(void) {
              P(tpacket3_hdr, tp_next_offset); P(tpacket3_hdr, tp_sec); P(tpacket3_hdr, tp_nsec);
              P(tpacket3_hdr, tp_snaplen); P(tpacket3_hdr, tp_len); P(tpacket3_hdr, tp_status); P(tpacket3_hdr, tp_mac);
              P(tpacket3_hdr, hv1.tp_vlan_tci); P(tpacket3_hdr, hv1.tp_vlan_tpid);
              printf("tpacket_block_desc.block_status %zu\n", offsetof(struct tpacket_block_desc, hdr.bh1.block_status));
              printf("tpacket_block_desc.num_pkts %zu\n", offsetof(struct tpacket_block_desc, hdr.bh1.num_pkts));
              printf("tpacket_block_desc.offset_to_first_pkt %zu\n", offsetof(struct tpacket_block_desc, hdr.bh1.offset_to_first_pkt));
              P(pcap_pkthdr, ts); P(pcap_pkthdr, caplen); P(pcap_pkthdr, len);
              P(statvfs, f_frsize); P(statvfs, f_blocks); P(statvfs, f_bavail); printf("statvfs.size %zu\n", sizeof(struct statvfs));
              P(timex, esterror); P(timex, status); P(timex, tai); printf("timex.size %zu\n", sizeof(struct timex));
              P(ethtool_ts_info, so_timestamping); P(ethtool_ts_info, phc_index); P(ethtool_ts_info, rx_filters);
              printf("ethtool_ts_info.size %zu\n", sizeof(struct ethtool_ts_info));
              P(hwtstamp_config, tx_type); P(hwtstamp_config, rx_filter); printf("hwtstamp_config.size %zu\n", sizeof(struct hwtstamp_config));
              P(ifreq, ifr_data); printf("ifreq.size %zu\n", sizeof(struct ifreq));
              return 0;
            }
            """);
        var compile = Run.Program("gcc", "-o", _dir.File("offsets"), source);
        Assert.True(compile.ExitCode == 0, compile.StdErr);
        var c = Run.Program(_dir.File("offsets")).StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')).ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));

        Assert.Equal(c["tpacket3_hdr.tp_next_offset"], Offset<Tpacket3Header>(nameof(Tpacket3Header.NextOffset)));
        Assert.Equal(c["tpacket3_hdr.tp_sec"], Offset<Tpacket3Header>(nameof(Tpacket3Header.Seconds)));
        Assert.Equal(c["tpacket3_hdr.tp_nsec"], Offset<Tpacket3Header>(nameof(Tpacket3Header.Nanoseconds)));
        Assert.Equal(c["tpacket3_hdr.tp_snaplen"], Offset<Tpacket3Header>(nameof(Tpacket3Header.CapturedLength)));
        Assert.Equal(c["tpacket3_hdr.tp_len"], Offset<Tpacket3Header>(nameof(Tpacket3Header.WireLength)));
        Assert.Equal(c["tpacket3_hdr.tp_status"], Offset<Tpacket3Header>(nameof(Tpacket3Header.Status)));
        Assert.Equal(c["tpacket3_hdr.tp_mac"], Offset<Tpacket3Header>(nameof(Tpacket3Header.MacOffset)));
        Assert.Equal(c["tpacket3_hdr.hv1.tp_vlan_tci"], Offset<Tpacket3Header>(nameof(Tpacket3Header.VlanTci)));
        Assert.Equal(c["tpacket3_hdr.hv1.tp_vlan_tpid"], Offset<Tpacket3Header>(nameof(Tpacket3Header.VlanTpid)));
        Assert.Equal(c["tpacket_block_desc.block_status"], Offset<TpacketBlockDescriptor>(nameof(TpacketBlockDescriptor.BlockStatus)));
        Assert.Equal(c["tpacket_block_desc.num_pkts"], Offset<TpacketBlockDescriptor>(nameof(TpacketBlockDescriptor.PacketCount)));
        Assert.Equal(c["tpacket_block_desc.offset_to_first_pkt"], Offset<TpacketBlockDescriptor>(nameof(TpacketBlockDescriptor.OffsetToFirstPacket)));
        Assert.Equal(c["pcap_pkthdr.ts"], Offset<PcapPacketHeader>(nameof(PcapPacketHeader.Seconds)));
        Assert.Equal(c["pcap_pkthdr.caplen"], Offset<PcapPacketHeader>(nameof(PcapPacketHeader.CapturedLength)));
        Assert.Equal(c["pcap_pkthdr.len"], Offset<PcapPacketHeader>(nameof(PcapPacketHeader.WireLength)));
        Assert.Equal(c["statvfs.f_frsize"], Offset<StatvfsBuffer>(nameof(StatvfsBuffer.FragmentSize)));
        Assert.Equal(c["statvfs.f_blocks"], Offset<StatvfsBuffer>(nameof(StatvfsBuffer.Blocks)));
        Assert.Equal(c["statvfs.f_bavail"], Offset<StatvfsBuffer>(nameof(StatvfsBuffer.BlocksAvailable)));
        Assert.Equal(c["statvfs.size"], Marshal.SizeOf<StatvfsBuffer>());
        Assert.Equal(c["timex.esterror"], Offset<Timex>(nameof(Timex.EstimatedError)));
        Assert.Equal(c["timex.status"], Offset<Timex>(nameof(Timex.Status)));
        Assert.Equal(c["timex.tai"], Offset<Timex>(nameof(Timex.Tai)));
        Assert.Equal(c["timex.size"], Marshal.SizeOf<Timex>());
        Assert.Equal(c["ethtool_ts_info.so_timestamping"], Offset<EthtoolTsInfo>(nameof(EthtoolTsInfo.SoTimestamping)));
        Assert.Equal(c["ethtool_ts_info.phc_index"], Offset<EthtoolTsInfo>(nameof(EthtoolTsInfo.PhcIndex)));
        Assert.Equal(c["ethtool_ts_info.rx_filters"], Offset<EthtoolTsInfo>(nameof(EthtoolTsInfo.RxFilters)));
        Assert.Equal(c["ethtool_ts_info.size"], Marshal.SizeOf<EthtoolTsInfo>());
        Assert.Equal(c["hwtstamp_config.tx_type"], Offset<HwtstampConfig>(nameof(HwtstampConfig.TxType)));
        Assert.Equal(c["hwtstamp_config.rx_filter"], Offset<HwtstampConfig>(nameof(HwtstampConfig.RxFilter)));
        Assert.Equal(c["hwtstamp_config.size"], Marshal.SizeOf<HwtstampConfig>());
        Assert.Equal(c["ifreq.ifr_data"], Offset<InterfaceRequest>(nameof(InterfaceRequest.Data)));
        Assert.Equal(c["ifreq.size"], Marshal.SizeOf<InterfaceRequest>());
    }

    private static int Offset<T>(string field) => (int)Marshal.OffsetOf<T>(field);
}
