using VirtCapture.Triggers;

namespace VirtCapture.Tests.Unit.Triggers;

public sealed class TriggerCountTests
{
    private const long Second = 1_000_000_000;

    [Fact]
    public void A_rate_rule_fires_on_the_match_that_reaches_its_count_within_the_window_and_not_before()
    {
        var count = new TriggerCount(TriggerRule.Parse("storm: filter=tcp; count=50; within=1s; holdoff=0", "t"));
        // 49 matches within a second, then the 50th 1 ns too late for the first: no fire until the 50th inside.
        for (var i = 0; i < 49; i++)
        {
            Assert.False(count.Hit(i * 10_000_000L), $"match {i + 1} of 49 fired the rule");
        }

        Assert.False(count.Hit(Second + 1), "the 50th match falls 1 ns outside the first's second");
        Assert.True(count.Hit(Second + 10_000_000), "50 matches within 1 s, the oldest at 10 ms, fire on the last");
    }

    [Fact]
    public void The_window_includes_its_end()
    {
        var count = new TriggerCount(TriggerRule.Parse("t: filter=tcp; count=2; within=1s; holdoff=0", "t"));
        Assert.False(count.Hit(0));
        Assert.True(count.Hit(Second));
    }

    [Fact]
    public void A_hold_off_folds_a_storm_into_one_fire_and_counts_what_it_merged()
    {
        var count = new TriggerCount(TriggerRule.Parse("t: filter=tcp; holdoff=10s", "t"));
        Assert.True(count.Hit(0));
        for (var i = 1; i < 100; i++)
        {
            Assert.False(count.Hit(i * 50_000_000L));
        }

        Assert.Equal(99, count.Merged);
        Assert.True(count.Hit(10 * Second), "the hold-off ends 10 s after the fire");
        Assert.Equal(101, count.Matches);
    }

    [Fact]
    public void After_a_fire_the_count_starts_again()
    {
        var count = new TriggerCount(TriggerRule.Parse("t: filter=tcp; count=3; within=1s; holdoff=0", "t"));
        Assert.False(count.Hit(0));
        Assert.False(count.Hit(1));
        Assert.True(count.Hit(2));
        Assert.False(count.Hit(3));
        Assert.False(count.Hit(4));
        Assert.True(count.Hit(5));
    }
}
