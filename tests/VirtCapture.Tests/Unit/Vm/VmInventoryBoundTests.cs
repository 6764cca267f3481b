using VirtCapture.Hal.Frames;
using VirtCapture.Vm;

namespace VirtCapture.Tests.Unit.Vm;

/// <summary>
/// A flood of random source MACs (a hostile sender, a broken switch) must not grow the inventory without end: past
/// its bound new MACs are only counted, and MACs long gone make room again.
/// </summary>
public sealed class VmInventoryBoundTests
{
    private static readonly long Start = 1_764_000_000_000_000_000L;

    [Fact]
    public void A_flood_of_new_MACs_fills_the_inventory_to_its_bound_and_the_rest_are_counted_as_untracked()
    {
        var inventory = new VmInventory(HypervisorFamilies.Default, TimeSpan.FromSeconds(10));
        const int Flood = VmInventory.MaxEntries + 3000;
        for (var i = 0; i < Flood; i++)
        {
            Observe(inventory, Mac(i), Start + i);
        }

        // A MAC the inventory already holds is still counted in full.
        Observe(inventory, Mac(0), Start + Flood);

        var views = inventory.Snapshot();
        Assert.Equal(VmInventory.MaxEntries, views.Count);
        Assert.Equal(3000, inventory.UntrackedFrames);
        Assert.Equal(2, views.Single(v => v.Mac == "02:00:00:00:00:00").FramesSent);
        Assert.DoesNotContain(views, v => v.Mac == Text(Mac(Flood - 1)));
    }

    [Fact]
    public void MACs_gone_for_twice_the_idle_time_make_room_for_new_ones()
    {
        var idle = TimeSpan.FromSeconds(10);
        var inventory = new VmInventory(HypervisorFamilies.Default, idle);
        for (var i = 0; i < VmInventory.MaxEntries; i++)
        {
            Observe(inventory, Mac(i), Start);
        }

        // One MAC keeps talking; the rest fall silent. The first sweep after the idle time reports them gone and keeps
        // them (the page shows them gone); a sweep an idle time later forgets them.
        var talker = Mac(7);
        var goneAt = Start + (long)idle.TotalNanoseconds + 1;
        Observe(inventory, talker, goneAt - 1);
        inventory.Sweep(goneAt, 1);
        Assert.Equal(VmInventory.MaxEntries, inventory.Snapshot().Count);
        Assert.Equal(VmInventory.MaxEntries - 1, inventory.Snapshot().Count(v => v.Gone));

        var forgetAt = Start + (2 * (long)idle.TotalNanoseconds) + 1;
        Observe(inventory, talker, forgetAt - 1);
        inventory.Sweep(forgetAt, 1);
        var left = inventory.Snapshot();
        Assert.Equal(Text(talker), Assert.Single(left).Mac);
        Assert.Equal(3, left[0].FramesSent);

        // Room again: a new MAC is tracked, not counted as untracked.
        Observe(inventory, Mac(VmInventory.MaxEntries + 1), forgetAt);
        Assert.Equal(2, inventory.Snapshot().Count);
        Assert.Equal(0, inventory.UntrackedFrames);
    }

    private static byte[] Mac(int i) => [0x02, 0, (byte)(i >> 24), (byte)(i >> 16), (byte)(i >> 8), (byte)i];

    private static string Text(byte[] mac) => string.Join(':', mac.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    private static void Observe(VmInventory inventory, byte[] source, long ts)
    {
        var frame = new byte[60];
        byte[] destination = [0x02, 0xff, 0, 0, 0, 1];
        destination.CopyTo(frame, 0);
        source.CopyTo(frame, 6);
        frame[12] = 0x08;
        frame[14] = 0x45;
        frame[26] = 10;
        frame[29] = 1;
        var record = new FrameRecord { TimestampNs = ts, CapturedLength = frame.Length, WireLength = frame.Length };
        inventory.Observe(record, frame, 0, "A");
    }
}
