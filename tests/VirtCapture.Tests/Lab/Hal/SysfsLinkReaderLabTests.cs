using VirtCapture.Hal.Links;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Lab.Hal;

/// <summary>The link reader on the kernel's own sysfs: a veth whose peer goes down, and one removed and created again.</summary>
public sealed class SysfsLinkReaderLabTests
{
    [RootFact]
    public void Carrier_loss_removal_and_return_of_an_interface_are_read_from_the_attributes_it_keeps_open()
    {
        using var veth = new VethPair();
        using var reader = new SysfsLinkReader(veth.PortA);
        Assert.True(reader.State.Up, "a veth whose peer is up has carrier");
        Assert.Equal(10000, reader.State.SpeedMbps);

        Ip("link", "set", veth.PeerA, "down");
        Assert.True(reader.Refresh());
        Assert.False(reader.State.Up);
        Ip("link", "set", veth.PeerA, "up");
        Assert.True(reader.Refresh());
        Assert.True(reader.State.Up);

        // Removed, the interface's open attributes fail to read (ENODEV): the reader closes them and reports the port
        // down; created again under the same name, its new attributes are opened and read.
        Ip("link", "del", veth.PortA);
        Assert.True(reader.Refresh());
        Assert.False(reader.State.Up);
        Assert.False(reader.Refresh());
        Ip("link", "add", veth.PortA, "type", "veth", "peer", "name", veth.PeerA);
        foreach (var dev in new[] { veth.PortA, veth.PeerA })
        {
            File.WriteAllText($"/proc/sys/net/ipv6/conf/{dev}/disable_ipv6", "1");
            Ip("link", "set", dev, "up");
        }

        Assert.True(reader.Refresh());
        Assert.Equal((true, 4L), (reader.State.Up, reader.State.Changes));
    }

    private static void Ip(params string[] args)
    {
        var result = Run.Program("ip", args);
        Assert.True(result.ExitCode == 0, result.StdErr);
    }
}
