using VirtCapture.Hal.Bpf;
using VirtCapture.Hal.Frames;
using VirtCapture.Hal.Synthetic;

namespace VirtCapture.Tests.Integration.Hal;

/// <summary>
/// The BPF programs compiled to .NET code against libpcap's own interpreter (bpf_filter), frame by frame: the
/// simulated board's traffic (VLANs, IPv4 and IPv6, TCP, UDP, ARP, RARP), the same frames cut short, and frames with
/// random bytes, through filters that use every kind of instruction libpcap emits.
/// </summary>
public sealed class BpfJitTests
{
    public static TheoryData<string> Filters() =>
    [
        "udp", "tcp port 80", "vlan and udp", "vlan 20 and host 10.20.0.11", "vlan and vlan", "ip[6:2] & 0x1fff != 0",
        "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0", "tcp[tcpflags] & tcp-rst != 0", "ip6", "icmp6", "ip6 and tcp", "arp", "rarp",
        "ether host 00:50:56:9a:10:01", "ether broadcast", "ether multicast", "ip multicast", "len > 500", "less 100",
        "greater 1000", "ip[2:2] / 4 > 100", "ip[2:2] % 7 = 3", "ip[8] * 2 > 100", "(ip[0] & 0xf) << 2 > 20", "ip[0] >> 4 = 4",
        "ether[0] ^ 0xff = 0", "net 10.0.0.0/8", "portrange 1000-2000", "not ip", "udp[8:4] = 0", "geneve", "mpls", "pppoes",
        "ip proto 47", "icmp[icmptype] == icmp-echo", "ether[12:2] = 0x8100 and ether[14:2] & 0xfff = 20", "ip[2:2] - 20 > 500",
        "udp port 53 and udp[11] & 0xf != 0", "(tcp[tcpflags] & tcp-rst != 0) or (arp) or (udp port 53)", "ip[12:4] + ip[16:4] > 100",
        "-ip[8] < 100", "tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x47455420", "ip host 10.20.0.11 and not port 22", "ether proto 0x88cc",
    ];

    [Theory]
    [MemberData(nameof(Filters))]
    public void Compiled_code_decides_every_frame_as_libpcap_does(string filter)
    {
        using var program = BpfFilterProgram.Compile(filter, CapturePort.Ethernet);
        Assert.True(program.IsCompiled, $"'{filter}' was not compiled");
        var traffic = new SyntheticTraffic(7, announceEvery: 13);
        var random = new Random(11);
        var buffer = new byte[SyntheticTraffic.MaxFrameLength];
        int matched = 0, checkedFrames = 0;
        for (var i = 0; i < 6000; i++)
        {
            var length = traffic.Next(buffer, out _);
            var frame = buffer.AsSpan(0, length);
            if (i % 3 == 1)
            {
                // Cut short, as a snaplen does: loads past the captured bytes must reject, whatever the wire length.
                frame = frame[..random.Next(0, length + 1)];
            }
            else if (i % 3 == 2)
            {
                for (var flips = 0; flips < 4; flips++)
                {
                    frame[random.Next(length)] = (byte)random.Next(256);
                }
            }

            var expected = program.MatchesInterpreted(frame, length);
            Assert.True(expected == program.Matches(frame, length), $"'{filter}', frame {i} ({frame.Length} of {length} bytes): libpcap says {expected}: {Convert.ToHexString(frame[..Math.Min(64, frame.Length)])}");
            matched += expected ? 1 : 0;
            checkedFrames++;
        }

        Assert.Equal(6000, checkedFrames);
        Assert.True(filter.StartsWith("not", StringComparison.Ordinal) || matched < 6000, "a filter that keeps everything checks nothing");
    }
}
