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
        // The kernel sets operstate from the carrier in its link-watch work, up to a second later under load: the box
        // refreshes every 100 ms, and so does this test until the state it waits for shows.
        ReadsUp(reader, true);
        Assert.Equal(10000, reader.State.SpeedMbps);
        var changes = reader.State.Changes;

        Ip("link", "set", veth.PeerA, "down");
        ReadsUp(reader, false);
        Ip("link", "set", veth.PeerA, "up");
        ReadsUp(reader, true);

        // Removed, the interface's open attributes fail to read (ENODEV): the reader closes them and reports the port
        // down; created again under the same name, its new attributes are opened and read.
        Ip("link", "del", veth.PortA);
        ReadsUp(reader, false);
        Ip("link", "add", veth.PortA, "type", "veth", "peer", "name", veth.PeerA);
        foreach (var dev in new[] { veth.PortA, veth.PeerA })
        {
            File.WriteAllText($"/proc/sys/net/ipv6/conf/{dev}/disable_ipv6", "1");
            Ip("link", "set", dev, "up");
        }

        ReadsUp(reader, true);
        // Every change seen once: down, up, down (removed), up (created again).
        Assert.Equal(changes + 4, reader.State.Changes);
    }

    private static void ReadsUp(SysfsLinkReader reader, bool up)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (reader.State.Up != up && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
            reader.Refresh();
        }

        Assert.True(reader.State.Up == up, $"{reader.Interface} still reads {(up ? "down" : "up")} after 5 s");
    }

    private static void Ip(params string[] args)
    {
        var result = Run.Program("ip", args);
        Assert.True(result.ExitCode == 0, result.StdErr);
    }
}
