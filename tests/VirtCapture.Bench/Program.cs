using System.Globalization;
using VirtCapture.Format.Pcap;
using VirtCapture.Hal.Replay;
using VirtCapture.Hal.Synthetic;

// Makes the benchmark's traffic: `generate OUT.pcap FRAMES [SEED]` writes VM-like IMIX traffic (VLAN tags,
// IPv4 and IPv6, UDP and TCP, RARP and gratuitous ARP) as a nanosecond pcap, 1 µs apart.
if (args.Length < 3 || args[0] != "generate")
{
    Console.Error.WriteLine("usage: VirtCapture.Bench generate OUT.pcap FRAMES [SEED]");
    return 2;
}

var frames = long.Parse(args[2], CultureInfo.InvariantCulture);
var seed = args.Length > 3 ? ulong.Parse(args[3], CultureInfo.InvariantCulture) : 7UL;
var traffic = new SyntheticTraffic(seed);
var buffer = new byte[SyntheticTraffic.MaxFrameLength];
using var writer = new ClassicPcapWriter(args[1]);
var ts = 1_764_000_000_000_000_000L;
for (long i = 0; i < frames; i++)
{
    var length = traffic.Next(buffer, out _);
    writer.Write(ts + (i * 1000), buffer.AsSpan(0, length));
}

Console.WriteLine($"wrote {frames} frames to {args[1]}");
return 0;
