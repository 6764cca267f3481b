using System.Buffers.Binary;
using VirtCapture.Collector;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Tests.Unit.Collector;

/// <summary>
/// With no session listed the collector records each session as it first arrives, as the next interface, up to its
/// limit; later ones are counted, and the same session from another host is a new interface told as a sender change.
/// </summary>
public sealed class SessionDiscoveryTests
{
    [Fact]
    public void Sessions_become_interfaces_in_arrival_order_up_to_the_limit_and_the_rest_are_counted()
    {
        byte[][] outer = [Vxlan(1, 5001), Vxlan(1, 5002), Vxlan(1, 5001), Vxlan(2, 5003), Vxlan(1, 5002), Vxlan(3, 5004)];
        using var source = new DecapsulatingFrameSource(new OuterFrames(outer), [], maxSessions: 3);
        var found = new List<(int Port, string Name)>();
        var untold = new List<string>();
        source.SessionFound += (port, session) => found.Add((port, session.Name));
        source.UnlistedSession += session => untold.Add(session.Name);
        Assert.Empty(source.Ports);
        Assert.Equal(3, source.MaxPorts);

        Assert.Equal(BatchResult.Frames, source.ReadBatch(out var batch, TimeSpan.Zero));
        Assert.Equal([0, 1, 0, 2, 1], batch.Frames.ToArray().Select(f => (int)f.Port));
        Assert.Equal([(0, "vxlan-5001@10.0.0.1"), (1, "vxlan-5002@10.0.0.1"), (2, "vxlan-5003@10.0.0.2")], found);
        Assert.Equal(["vxlan-5001@10.0.0.1", "vxlan-5002@10.0.0.1", "vxlan-5003@10.0.0.2"], source.Ports.Select(p => p.Name));
        Assert.Equal(["vxlan-5004@10.0.0.3"], untold);
        Assert.Equal(1, source.Counters.Unlisted);
        Assert.Equal(2, source.GetCounters(0).Received);
    }

    [Fact]
    public void The_same_session_from_another_host_is_a_new_interface_told_as_a_move()
    {
        using var source = new DecapsulatingFrameSource(new OuterFrames([Vxlan(1, 5001), Vxlan(2, 5001)]), []);
        var moves = new List<string>();
        source.SenderChanged += (port, now, was) => moves.Add($"{port}: {now.Name} was {was.Name}");
        Assert.Equal(BatchResult.Frames, source.ReadBatch(out var batch, TimeSpan.Zero));
        Assert.Equal([0, 1], batch.Frames.ToArray().Select(f => (int)f.Port));
        Assert.Equal(["1: vxlan-5001@10.0.0.2 was vxlan-5001@10.0.0.1"], moves);
    }

    [Fact]
    public void Each_session_counts_its_bytes_and_the_frames_its_sender_cut()
    {
        var cut = Vxlan(1, 5001)[..^10];
        using var source = new DecapsulatingFrameSource(new OuterFrames([Vxlan(1, 5001), cut, Vxlan(2, 5002)]), []);
        Assert.Equal(BatchResult.Frames, source.ReadBatch(out _, TimeSpan.Zero));
        Assert.Equal(new MirrorSessionCounters(2, 60 + 50, 1, 0, 0, 0), source.SessionCounters(0));
        Assert.Equal(new MirrorSessionCounters(1, 60, 0, 0, 0, 0), source.SessionCounters(1));
    }

    // Ethernet / IPv4 (10.0.0.HOST → 192.0.2.10) / UDP 4789 / VXLAN VNI / a 60-byte inner frame.
    private static byte[] Vxlan(int host, uint vni)
    {
        var frame = new byte[14 + 20 + 8 + 8 + 60];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
        var ip = frame.AsSpan(14);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(frame.Length - 14));
        ip[8] = 64;
        ip[9] = 17;
        ip[12] = 10;
        ip[15] = (byte)host;
        ip[16] = 192;
        ip[18] = 2;
        ip[19] = 10;
        var udp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(udp, 50000);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 4789);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(frame.Length - 34));
        var vxlan = udp[8..];
        vxlan[0] = 0x08;
        BinaryPrimitives.WriteUInt32BigEndian(vxlan[4..], vni << 8);
        BinaryPrimitives.WriteUInt16BigEndian(vxlan[20..], 0x0800);
        return frame;
    }

    // One batch of the given outer frames, then the end.
    private sealed class OuterFrames(byte[][] frames) : IFrameSource
    {
        private readonly byte[] _data = [.. frames.SelectMany(f => f)];
        private bool _read;

        public IReadOnlyList<CapturePort> Ports { get; } = [new("C", "collector", CapturePort.Ethernet)];

        public bool IsLive => false;

        public bool FiltersInKernel => false;

        public BatchResult ReadBatch(out FrameBatch batch, TimeSpan timeout)
        {
            if (_read)
            {
                batch = default;
                return BatchResult.EndOfInput;
            }

            _read = true;
            var offset = 0;
            var records = frames.Select(f =>
            {
                var record = new FrameRecord { Offset = offset, CapturedLength = f.Length, WireLength = f.Length };
                offset += f.Length;
                return record;
            }).ToArray();
            batch = new FrameBatch(_data, records);
            return BatchResult.Frames;
        }

        public SourceCounters GetCounters(int port) => default;

        public PortLink GetLink(int port) => PortLink.AlwaysUp;

        public void Dispose()
        {
        }
    }
}
