using VirtCapture.Hal.Frames;
using VirtCapture.Tests.Support;
using VirtCapture.Pcapng;
using VirtCapture.Vm;

namespace VirtCapture.Tests.Unit.Vm;

/// <summary>
/// The inventory's shortcut for repeated headers changes nothing it reports: segments observed in place give the same
/// inventory as the same frames observed one by one (which never take the shortcut).
/// </summary>
public sealed class VmInventoryRepeatTests
{
    [Fact]
    public void Runs_of_repeated_frames_are_counted_exactly_with_addresses_and_announcements()
    {
        var random = new Random(11);
        var frames = new List<(byte[] Bytes, int Port)>();
        byte[][] macs = [Convert.FromHexString("0050569a1001"), Convert.FromHexString("00155d013001"), Convert.FromHexString("3cfdfe000001")];
        for (var run = 0; run < 60; run++)
        {
            var kind = random.Next(6);
            var src = macs[random.Next(3)];
            var dst = macs[random.Next(3)];
            var ip = (byte)random.Next(1, 4);
            var port = random.Next(2);
            var vlan = random.Next(3) == 0 ? 20 : 0;
            var length = 1 + random.Next(40);
            for (var i = 0; i < length; i++)
            {
                frames.Add((kind == 0 ? Arp(src, ip, vlan) : kind == 1 ? Ipv6(src, dst, ip, vlan) : Ipv4(src, dst, ip, vlan, 60 + random.Next(200)), port));
            }
        }

        var blocks = new List<byte>();
        var ts = 1_764_000_000_000_000_000L;
        foreach (var (bytes, port) in frames)
        {
            var block = new byte[PcapngBlocks.EnhancedPacketLength(bytes.Length, (uint)FrameDirection.Inbound, 0)];
            bytes.CopyTo(block, 28);
            PcapngBlocks.CompleteEnhancedPacket(block, port, ts += 1000, bytes.Length, bytes.Length, (uint)FrameDirection.Inbound, 0);
            blocks.AddRange(block);
        }

        CapturePort[] ports = [new("A", "a", 1), new("B", "b", 1)];
        var bySegment = new VmInventory(HypervisorFamilies.Default, TimeSpan.FromMinutes(5));
        var all = blocks.ToArray();
        var cut = EnhancedPacketBoundary(all, all.Length / 2);
        bySegment.ObserveBlocks(all.AsSpan(0, cut), ports);
        bySegment.ObserveBlocks(all.AsSpan(cut), ports);

        var oneByOne = new VmInventory(HypervisorFamilies.Default, TimeSpan.FromMinutes(5));
        ts = 1_764_000_000_000_000_000L;
        foreach (var (bytes, port) in frames)
        {
            var record = new FrameRecord { TimestampNs = ts += 1000, CapturedLength = bytes.Length, WireLength = bytes.Length, Port = (ushort)port };
            oneByOne.Observe(record, bytes, port, ports[port].Name);
        }

        // The running box's path: frames through the capture buffer, shown to the inventory a slice at a time by their
        // own frame index, as the capture loop does (slices of 7 here, so that they straddle segments).
        var byIndex = new VmInventory(HypervisorFamilies.Default, TimeSpan.FromMinutes(5));
        using (var buffer = new VirtCapture.Pipeline.FrameBuffer(totalBytes: 1 << 20, segmentBytes: 8 * 1024, ports: 2, dropWhenFull: false, TimeSpan.FromHours(1)))
        {
            buffer.AddObserver(byIndex, ports);
            ts = 1_764_000_000_000_000_000L;
            var appended = 0;
            foreach (var (bytes, port) in frames)
            {
                var record = new FrameRecord { TimestampNs = ts += 1000, CapturedLength = bytes.Length, WireLength = bytes.Length, Port = (ushort)port, Direction = FrameDirection.Inbound };
                Assert.True(buffer.AppendOne(record, bytes));
                if (++appended % 7 == 0)
                {
                    buffer.ShowAppended();
                }

                while (buffer.Pending > 0 && buffer.Take(TimeSpan.Zero) is { } segment)
                {
                    buffer.Return(segment);
                }
            }

            buffer.Complete();
            while (buffer.Take(TimeSpan.Zero) is { } segment)
            {
                buffer.Return(segment);
            }
        }

        Assert.Equal(Describe(oneByOne), Describe(bySegment));
        Assert.Equal(Describe(oneByOne), Describe(byIndex));
        Assert.Equal(oneByOne.Events().Select(e => e.Text), bySegment.Events().Select(e => e.Text));
        Assert.Equal(oneByOne.Events().Select(e => e.Text), byIndex.Events().Select(e => e.Text));
        Assert.True(bySegment.Snapshot().Sum(v => v.FramesSent) == frames.Count);
    }

    private static int EnhancedPacketBoundary(byte[] blocks, int near)
    {
        var at = 0;
        while (at < near)
        {
            at += BitConverter.ToInt32(blocks, at + 4);
        }

        return at;
    }

    private static string[] Describe(VmInventory inventory) => [.. inventory.Snapshot().Select(v =>
        $"{v.Mac} {v.Port} {v.Vlan} sent {v.FramesSent}/{v.BytesSent} received {v.FramesReceived}/{v.BytesReceived} {string.Join(',', v.Addresses)}")];

    private static byte[] Ethernet(byte[] dst, byte[] src, int vlan, ushort type, int payload)
    {
        var header = vlan == 0 ? 14 : 18;
        var frame = new byte[header + payload];
        dst.CopyTo(frame, 0);
        src.CopyTo(frame, 6);
        if (vlan != 0)
        {
            frame[12] = 0x81;
            frame[15] = (byte)vlan;
        }

        frame[header - 2] = (byte)(type >> 8);
        frame[header - 1] = (byte)type;
        return frame;
    }

    private static byte[] Ipv4(byte[] src, byte[] dst, byte host, int vlan, int length)
    {
        var frame = Ethernet(dst, src, vlan, 0x0800, length);
        var ip = vlan == 0 ? 14 : 18;
        frame[ip] = 0x45;
        frame[ip + 12] = 10;
        frame[ip + 15] = host;
        return frame;
    }

    private static byte[] Ipv6(byte[] src, byte[] dst, byte host, int vlan)
    {
        var frame = Ethernet(dst, src, vlan, 0x86dd, 60);
        var ip = vlan == 0 ? 14 : 18;
        frame[ip] = 0x60;
        frame[ip + 6] = 17;
        frame[ip + 8] = 0x20;
        frame[ip + 23] = host;
        return frame;
    }

    private static byte[] Arp(byte[] src, byte host, int vlan)
    {
        var frame = Ethernet([0xff, 0xff, 0xff, 0xff, 0xff, 0xff], src, vlan, 0x0806, 46);
        var arp = vlan == 0 ? 14 : 18;
        frame[arp + 1] = 1;
        frame[arp + 2] = 0x08;
        frame[arp + 4] = 6;
        frame[arp + 5] = 4;
        frame[arp + 7] = 1;
        src.CopyTo(frame, arp + 8);
        frame[arp + 14] = 10;
        frame[arp + 17] = host;
        frame[arp + 24] = 10;
        frame[arp + 27] = host;
        return frame;
    }
}
