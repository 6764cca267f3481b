using VirtCapture.Hal.Links;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Unit.Hal;

/// <summary>The link reader over a directory laid out as /sys/class/net is (the lab tests read the real one).</summary>
public sealed class SysfsLinkReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void An_interface_with_carrier_is_up_with_its_speed()
    {
        Write("a0", operstate: "up", carrier: "1", speed: "10000");
        using var reader = new SysfsLinkReader("a0", _dir.Path);
        Assert.True(reader.State.Up);
        Assert.Equal(10000, reader.State.SpeedMbps);
        Assert.Equal(0, reader.State.Changes);
    }

    [Fact]
    public void A_cable_pulled_and_put_back_is_two_changes_read_from_the_files_kept_open()
    {
        Write("a0", operstate: "up", carrier: "1", speed: "1000");
        using var reader = new SysfsLinkReader("a0", _dir.Path);
        Assert.False(reader.Refresh());

        // sysfs rewrites an attribute in place; the reader reads it again from offset 0 of the file it holds open.
        Write("a0", operstate: "down", carrier: "0", speed: "-1");
        Assert.True(reader.Refresh());
        Assert.False(reader.State.Up);
        Assert.Equal(0, reader.State.SpeedMbps);
        Assert.False(reader.Refresh());

        Write("a0", operstate: "up", carrier: "1", speed: "1000");
        Assert.True(reader.Refresh());
        Assert.Equal(new(true, 1000, 2), (reader.State.Up, reader.State.SpeedMbps, reader.State.Changes));
    }

    [Fact]
    public void Operstate_unknown_counts_as_up_only_with_carrier()
    {
        Write("tap0", operstate: "unknown", carrier: "1", speed: "10");
        using var reader = new SysfsLinkReader("tap0", _dir.Path);
        Assert.True(reader.State.Up);

        Write("tap0", operstate: "unknown", carrier: "0", speed: "10");
        Assert.True(reader.Refresh());
        Assert.False(reader.State.Up);
    }

    [Fact]
    public void A_missing_interface_is_down_and_is_seen_when_it_appears()
    {
        using var reader = new SysfsLinkReader("usb0", _dir.Path);
        Assert.False(reader.State.Up);
        Assert.False(reader.Refresh());

        Write("usb0", operstate: "up", carrier: "1", speed: "100");
        Assert.True(reader.Refresh());
        Assert.True(reader.State.Up);
        Assert.Equal(100, reader.State.SpeedMbps);
    }

    private void Write(string iface, string operstate, string carrier, string speed)
    {
        var root = Directory.CreateDirectory(Path.Combine(_dir.Path, iface)).FullName;
        File.WriteAllText(Path.Combine(root, "operstate"), operstate + "\n");
        File.WriteAllText(Path.Combine(root, "carrier"), carrier + "\n");
        File.WriteAllText(Path.Combine(root, "speed"), speed + "\n");
    }
}
