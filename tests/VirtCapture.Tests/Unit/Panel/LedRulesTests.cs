using VirtCapture.Panel;

namespace VirtCapture.Tests.Unit.Panel;

/// <summary>The LED table of the README, state by state.</summary>
public sealed class LedRulesTests
{
    private static readonly PanelState Capturing = new(true, false, CaptureActivity.Capturing, new PortView(true, false), new PortView(true, false), false, 40, false, false);

    public static TheoryData<string, PanelState, Led, LedPattern> Cases => new()
    {
        { "starting", Capturing with { Ready = false }, Led.Power, LedPattern.FastBlink },
        { "ready", Capturing, Led.Power, LedPattern.Steady },
        { "safe to unplug", Capturing with { SafeToUnplug = true, Capture = CaptureActivity.Idle }, Led.Power, LedPattern.SlowBlink },
        { "capturing", Capturing, Led.Capture, LedPattern.Steady },
        { "stopping", Capturing with { Capture = CaptureActivity.Stopping }, Led.Capture, LedPattern.FastBlink },
        { "idle", Capturing with { Capture = CaptureActivity.Idle }, Led.Capture, LedPattern.Off },
        { "link up, quiet", Capturing, Led.LinkA, LedPattern.Steady },
        { "link up, traffic", Capturing with { PortA = new PortView(true, true) }, Led.LinkA, LedPattern.Flicker },
        { "link down", Capturing with { PortB = new PortView(false, false) }, Led.LinkB, LedPattern.Off },
        { "no capture, no link shown", Capturing with { PortA = null }, Led.LinkA, LedPattern.Off },
        { "no drops", Capturing, Led.Drop, LedPattern.Off },
        { "recent drop", Capturing with { RecentDrop = true }, Led.Drop, LedPattern.Steady },
        { "disk 40 %", Capturing, Led.Storage, LedPattern.Off },
        { "disk 90 %", Capturing with { StorageUsedPercent = 90 }, Led.Storage, LedPattern.Steady },
        { "disk full", Capturing with { StorageUsedPercent = 99, StorageFull = true }, Led.Storage, LedPattern.FastBlink },
        { "OnFull stopped the ring", Capturing with { StorageUsedPercent = 50, StorageFull = true }, Led.Storage, LedPattern.FastBlink },
        { "healthy", Capturing, Led.Fault, LedPattern.Off },
        { "fault", Capturing with { Fault = true, Capture = CaptureActivity.Idle }, Led.Fault, LedPattern.Steady },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_state_shows_its_pattern(string state, PanelState panel, Led led, LedPattern expected)
    {
        Assert.True(LedRules.Derive(panel)[(int)led] == expected, $"{state}: {led} should be {expected}");
    }

    [Theory]
    [InlineData(LedPattern.Off, 0, false)]
    [InlineData(LedPattern.Steady, 1234, true)]
    [InlineData(LedPattern.SlowBlink, 100, true)]
    [InlineData(LedPattern.SlowBlink, 600, false)]
    [InlineData(LedPattern.FastBlink, 100, true)]
    [InlineData(LedPattern.FastBlink, 200, false)]
    public void Patterns_light_the_led_in_their_rhythm(LedPattern pattern, long elapsedMs, bool lit)
    {
        Assert.Equal(lit, LedRules.IsLit(pattern, elapsedMs, flickerBit: false));
    }
}
