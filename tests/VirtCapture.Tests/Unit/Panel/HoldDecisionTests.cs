using Microsoft.Extensions.Time.Testing;
using VirtCapture.Panel;

namespace VirtCapture.Tests.Unit.Panel;

/// <summary>START/STOP held 3 s is a safe stop even when the library's hold timer runs late on a busy box.</summary>
public sealed class HoldDecisionTests
{
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(3);

    [Fact]
    public void A_short_press_is_a_press()
    {
        var time = new FakeTimeProvider();
        var decision = new HoldDecision(time, Hold);
        decision.Down();
        time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(ButtonGesture.Press, decision.Up());
    }

    [Fact]
    public void The_hold_timer_while_down_is_the_hold_and_the_release_after_it_does_nothing()
    {
        var time = new FakeTimeProvider();
        var decision = new HoldDecision(time, Hold);
        decision.Down();
        time.Advance(Hold);
        Assert.Equal(ButtonGesture.Hold, decision.HoldTimer());
        time.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Equal(ButtonGesture.None, decision.Up());
    }

    [Fact]
    public void A_hold_whose_timer_runs_after_the_release_is_still_one_hold()
    {
        var time = new FakeTimeProvider();
        var decision = new HoldDecision(time, Hold);
        decision.Down();
        time.Advance(TimeSpan.FromSeconds(3.4));
        Assert.Equal(ButtonGesture.Hold, decision.Up());
        Assert.Equal(ButtonGesture.None, decision.HoldTimer());
    }

    [Fact]
    public void A_late_timer_from_a_short_press_does_not_become_a_hold()
    {
        var time = new FakeTimeProvider();
        var decision = new HoldDecision(time, Hold);
        decision.Down();
        time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Equal(ButtonGesture.Press, decision.Up());
        Assert.Equal(ButtonGesture.None, decision.HoldTimer());

        // The next press starts afresh.
        decision.Down();
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(ButtonGesture.Press, decision.Up());
    }
}
