using VirtCapture.Hal.Frames;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Support;

/// <summary>The frame-source contract over real interfaces, with trafgen feeding both ports.</summary>
public abstract class LiveFrameSourceContract : FrameSourceContract, IDisposable
{
    private const string Frame = "{ eth(da=02:00:00:00:0b:01, sa=02:00:00:00:0a:01), vlan(id=7), ipv4(sa=198.51.100.1, da=198.51.100.2), udp(sp=1, dp=2), fill(0x11, 80) }";
    private readonly List<System.Diagnostics.Process> _senders = [];

    protected LiveFrameSourceContract()
    {
        Veth = new VethPair();
    }

    protected VethPair Veth { get; }

    public void Dispose()
    {
        foreach (var sender in _senders)
        {
            if (!sender.HasExited)
            {
                sender.Kill();
            }

            sender.Dispose();
        }

        Veth.Dispose();
    }

    protected abstract IFrameSource Open(IReadOnlyList<(string Name, string Interface)> ports, string filter);

    protected override IFrameSource Create()
    {
        var source = Open([("A", Veth.PortA), ("B", Veth.PortB)], string.Empty);
        _senders.Add(Veth.Send(Veth.PeerA, Frame, 1500, "200us"));
        _senders.Add(Veth.Send(Veth.PeerB, Frame, 1500, "200us"));
        return source;
    }

    [ContractFact]
    public void The_kernel_filter_and_the_restored_VLAN_tag_work_on_both_ports()
    {
        using var source = Open([("A", Veth.PortA), ("B", Veth.PortB)], "vlan 7 and udp port 2");
        Assert.True(source.FiltersInKernel);
        _senders.Add(Veth.Send(Veth.PeerA, Frame, 200, "500us"));
        _senders.Add(Veth.Send(Veth.PeerB, "{ eth(da=02:00:00:00:0b:01, sa=02:00:00:00:0a:02), ipv4(sa=198.51.100.1, da=198.51.100.2), udp(sp=1, dp=3), fill(0x11, 80) }", 200, "500us"));
        var seen = new int[2];
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline && seen[0] < 200)
        {
            if (source.ReadBatch(out var batch, TimeSpan.FromMilliseconds(100)) != BatchResult.Frames)
            {
                continue;
            }

            foreach (ref readonly var frame in batch.Frames)
            {
                seen[frame.Port]++;
                var bytes = batch.Bytes(frame);
                // Either the kernel stripped the tag (and reports it) or it is still in the frame.
                var tagged = frame.VlanTpid == 0x8100 ? frame.VlanTci & 0xfff : (bytes[12] << 8 | bytes[13]) == 0x8100 ? (bytes[14] << 8 | bytes[15]) & 0xfff : -1;
                Assert.Equal(7, tagged);
            }
        }

        Assert.Equal(0, source.GetCounters(0).KernelDropped);
        Assert.Equal(200, seen[0]);
        Assert.Equal(0, seen[1]);
        Assert.Equal(200, source.GetCounters(0).Received);
        Assert.Equal(0, source.GetCounters(1).Received);
    }
}
