using VirtCapture.Panel;

namespace VirtCapture.Tests.Unit.Panel;

/// <summary>The panel line in the log: a flickering LED at 50 changes a second gives one line per two seconds.</summary>
public sealed class PanelLogThrottleTests
{
    [Fact]
    public void A_LED_flipping_every_render_for_40_seconds_logs_at_most_21_lines_and_the_last_state()
    {
        var throttle = new PanelLogThrottle(TimeSpan.FromSeconds(2));
        var lines = 0;
        var lastLoggedAt = -1L;
        for (long ms = 0; ms <= 40_000; ms += 20)
        {
            if (throttle.ShouldLog(ms, changed: true))
            {
                lines++;
                lastLoggedAt = ms;
            }
        }

        Assert.InRange(lines, 19, 21);
        Assert.True(lastLoggedAt >= 38_000, "the line keeps up with the panel");
    }

    [Fact]
    public void The_first_change_is_logged_at_once_and_a_change_inside_the_interval_later()
    {
        var throttle = new PanelLogThrottle(TimeSpan.FromSeconds(2));
        Assert.True(throttle.ShouldLog(0, changed: true));
        Assert.False(throttle.ShouldLog(500, changed: true));
        Assert.False(throttle.ShouldLog(1500, changed: false));
        Assert.True(throttle.ShouldLog(2000, changed: false), "the pending change is logged when the interval is over");
        Assert.False(throttle.ShouldLog(9000, changed: false), "nothing changed, nothing logged");
    }
}
