using VirtCapture.Hal.Frames;
using VirtCapture.Vm;

namespace VirtCapture.Tests.Unit.Vm;

/// <summary>
/// A migration's few announcements are all events; a storm of them is not an event per frame (it made the box log a
/// line per frame and lose 2 % of a 1M-frame RARP flood), but a count.
/// </summary>
public sealed class AnnouncementLimiterTests
{
    private const long Second = 1_000_000_000;

    [Fact]
    public void A_vm_gets_ten_events_a_second_per_port_and_the_rest_are_counted()
    {
        var limiter = new AnnouncementLimiter();
        var allowed = Enumerable.Range(0, 25).Count(i => limiter.Allow(0x0050569a1002, 0, 5 * Second + (i * 1000)));
        Assert.Equal(AnnouncementLimiter.PerVmPerSecond, allowed);
        Assert.True(limiter.Allow(0x0050569a1002, 1, 5 * Second + 30_000), "the other port has its own allowance");
        Assert.True(limiter.Allow(0x0050569a1002, 0, 6 * Second), "a new second");
        Assert.Equal(15, limiter.TakeSuppressed());
        Assert.Equal(0, limiter.Suppressed);
    }

    [Fact]
    public void All_vms_together_get_a_hundred_events_a_second()
    {
        var limiter = new AnnouncementLimiter();
        var allowed = Enumerable.Range(0, 300).Count(i => limiter.Allow((ulong)(0x525400000000 + i), 0, Second + i));
        Assert.Equal(AnnouncementLimiter.TotalPerSecond, allowed);
        Assert.Equal(200, limiter.Suppressed);
    }

    [Fact]
    public void A_storm_of_rarp_from_one_vm_is_ten_events_and_one_count_and_a_failover_still_shows()
    {
        var inventory = new VmInventory(HypervisorFamilies.Default, TimeSpan.FromMinutes(5));
        var rarp = Convert.FromHexString("ffffffffffff0050569a100280350001080006040003" + "0050569a1002000000000050569a100200000000" + "0000000000000000000000000000");
        const int Storm = 100_000;
        var ts = 1_764_000_000_000_000_000L;
        for (var i = 0; i < Storm; i++)
        {
            inventory.Observe(new FrameRecord { TimestampNs = ts += 1000, CapturedLength = rarp.Length, WireLength = rarp.Length }, rarp, 0, "A");
        }

        inventory.Observe(new FrameRecord { TimestampNs = ts += 1000, CapturedLength = rarp.Length, WireLength = rarp.Length, Port = 1 }, rarp, 1, "B");
        inventory.Sweep(ts, 1);

        var events = inventory.Events().Select(e => e.Text).ToArray();
        Assert.Equal(Enumerable.Repeat("VM 00:50:56:9a:10:02 (VMware) announced on port A (RARP)", 10), events.Take(10));
        Assert.Equal(
            [
                "VM 00:50:56:9a:10:02 (VMware) announced on port B (RARP)",
                "VM 00:50:56:9a:10:02 (VMware) announced on both ports (A then B): a teamed NIC failing over",
                $"{Storm - 10} more VM announcements not listed one by one (at most 10 a second per VM and port, 100 in all): each announcing frame still has its comment in the capture",
            ],
            events.Skip(10));
        var vm = Assert.Single(inventory.Snapshot(), v => v.Port == "A");
        Assert.Equal(Storm, vm.FramesSent);
    }

    // The inventory runs on the capture thread: a storm's frames, listed or not, must not allocate one by one.
    [Fact]
    public void A_storm_of_announcements_costs_the_inventory_no_allocation_per_frame()
    {
        var inventory = new VmInventory(HypervisorFamilies.Default, TimeSpan.FromMinutes(5));
        var rarp = Convert.FromHexString("ffffffffffff0050569a100280350001080006040003" + "0050569a1002000000000050569a100200000000" + "0000000000000000000000000000");
        var garp = Convert.FromHexString("ffffffffffff00155d01300108060001080006040001" + "00155d013001c0a8011fffffffffffffc0a8011f" + "0000000000000000000000000000");
        var ts = 1_764_000_000_000_000_000L;
        void Storm(int frames)
        {
            for (var i = 0; i < frames; i++)
            {
                var frame = i % 2 == 0 ? rarp : garp;
                inventory.Observe(new FrameRecord { TimestampNs = ts += 1000, CapturedLength = frame.Length, WireLength = frame.Length }, frame, 0, "A");
            }
        }

        Storm(1000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Storm(100_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1000, $"{allocated} bytes for 100000 announcements");
        Assert.Equal(2, inventory.Events().Count(e => e.Kind == "announced") / AnnouncementLimiter.PerVmPerSecond);
    }
}
