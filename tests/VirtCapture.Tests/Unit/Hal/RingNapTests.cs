using VirtCapture.Hal.AfPacket;

namespace VirtCapture.Tests.Unit.Hal;

public sealed class RingNapTests
{
    private const long MiB = 1 << 20;

    // 10 Gb/s of minimum-size frames: 14 880 952 frames a second, 144 ring bytes each.
    private const double TenGigRingBytesPerMs = 1e10 / (84 * 8) * 144 / 1000;

    [Theory]
    [InlineData(64, 0, 15)]
    [InlineData(64, 10_000, 15)]
    [InlineData(32, 10_000, 7)]
    [InlineData(4, 0, 1)]
    [InlineData(1, 25_000, 1)]
    [InlineData(64, 1_000, RingNap.MaxMilliseconds)]
    [InlineData(64, 25_000, 6)]
    public void The_nap_is_what_the_ring_holds_at_the_links_line_rate(int ringMB, int speedMbps, int expected)
    {
        Assert.Equal(expected, RingNap.Milliseconds(ringMB * MiB, speedMbps));
    }

    [Fact]
    public void A_nap_of_line_rate_smallest_frames_never_fills_more_than_half_the_ring()
    {
        foreach (var speed in new[] { 100, 1_000, 2_500, 10_000, 25_000, 0 })
        {
            foreach (var ringMB in new[] { 2, 4, 16, 64, 256, 1000 })
            {
                var nap = RingNap.Milliseconds(ringMB * MiB, speed);
                var perMs = TenGigRingBytesPerMs * (speed > 0 ? speed : RingNap.UnknownSpeedMbps) / 10_000;
                Assert.InRange(nap, 1, RingNap.MaxMilliseconds);
                // The one-millisecond floor is the only nap allowed to exceed the share: a ring that small overflows
                // at line rate whatever the thread does.
                if (nap > 1)
                {
                    Assert.True(nap * perMs <= 0.5 * ringMB * MiB, $"{ringMB} MB at {speed} Mb/s: {nap} ms fills {nap * perMs / (ringMB * MiB):P0}");
                    Assert.True((nap + 1) * perMs > 0.5 * ringMB * MiB || nap == RingNap.MaxMilliseconds, $"{ringMB} MB at {speed} Mb/s: {nap} ms is shorter than it could be");
                }
            }
        }
    }
}
