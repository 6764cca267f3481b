using VirtCapture.Triggers;

namespace VirtCapture.Tests.Unit.Triggers;

public sealed class TriggerRuleTests
{
    [Fact]
    public void A_rule_reads_every_part_and_defaults_the_rest()
    {
        var rule = TriggerRule.Parse("rst-storm: filter=tcp[tcpflags] & tcp-rst != 0; count=50; within=1s; pre=2m; post=500ms", "k");
        Assert.Equal(new TriggerRule("rst-storm", "tcp[tcpflags] & tcp-rst != 0", TriggerEvent.None, 50, 1_000_000_000, 120_000_000_000, 500_000_000, TriggerRule.DefaultHoldOffNs), rule);
        Assert.Equal("trigger rst-storm (filter 'tcp[tcpflags] & tcp-rst != 0', 50 times within 1 s; 120 s before, 500 ms after)", rule.Describe());
        Assert.Equal(TriggerEvent.LinkDown, TriggerRule.Parse("down: event=link-down", "k").Event);
        Assert.Equal("trigger m (event mark; 120 s before, 60 s after)", TriggerRule.Parse("m: event=MARK", "k").Describe());
    }

    [Theory]
    [InlineData("no colon here", "Capture:Triggers:0: 'no colon here' is not a trigger; write NAME: filter=BPF")]
    [InlineData("../x: filter=tcp", "Capture:Triggers:0: the name '../x' must be 1 to 40 letters")]
    [InlineData("a: filter=tcp; event=mark", "Capture:Triggers:0: give either filter=BPF or event=KIND (exactly one)")]
    [InlineData("a: pre=10s", "Capture:Triggers:0: give either filter=BPF or event=KIND (exactly one)")]
    [InlineData("a: filter=tcp port nonsense", "Capture:Triggers:0: filter 'tcp port nonsense' is not a valid capture filter")]
    [InlineData("a: filter=tcp; count=5", "Capture:Triggers:0: count=5 needs within=T")]
    [InlineData("a: filter=tcp; count=0", "Capture:Triggers:0: count must be a whole number from 1 to 1000000, got '0'")]
    [InlineData("a: filter=tcp; pre=2h", "Capture:Triggers:0: pre must be a duration from 0 up to 1 h")]
    [InlineData("a: filter=tcp; post=soon", "Capture:Triggers:0: post must be a duration from 0 up to 1 h")]
    [InlineData("a: event=earthquake", "Capture:Triggers:0: event 'earthquake' is not one of vm, migration, link-down, drop, mark, fleet")]
    [InlineData("a: filter=tcp; colour=red", "Capture:Triggers:0: 'colour=red' is not one of filter=, event=")]
    public void A_bad_rule_is_one_line_naming_the_key_and_the_part(string text, string expected)
    {
        var e = Assert.Throws<UserErrorException>(() => TriggerRule.ParseAll([text], "Capture:Triggers"));
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Two_rules_may_not_share_a_name()
    {
        var e = Assert.Throws<UserErrorException>(() => TriggerRule.ParseAll(["a: filter=tcp", "A: event=mark"], "triggers"));
        Assert.Equal("triggers: two triggers are named 'a'; names must differ (they name the incident files)", e.Message);
    }

    [Theory]
    [InlineData("frames=1000", 1000, 0, 0, "")]
    [InlineData("bytes=10MB; duration=90s", 0, 10_000_000, 90_000_000_000, "")]
    [InlineData("filter=icmp; frames=5", 5, 0, 0, "icmp")]
    [InlineData("", 0, 0, 0, "")]
    public void Stop_conditions_read_like_dumpcaps(string text, long frames, long bytes, long durationNs, string filter) =>
        Assert.Equal(new StopCondition(frames, bytes, durationNs, filter), StopCondition.Parse(text, "k"));

    [Theory]
    [InlineData("frames=-1", "Capture:StopAfter: 'frames=-1' must be a whole number above 0")]
    [InlineData("bytes=lots", "Capture:StopAfter: 'bytes=lots' must be a size above 0")]
    [InlineData("duration=0", "Capture:StopAfter: 'duration=0' must be a duration above 0")]
    [InlineData("filter=udp port x", "Capture:StopAfter: stop filter 'udp port x' is not a valid capture filter")]
    [InlineData("packets=5", "Capture:StopAfter: 'packets=5' is not one of frames=N")]
    public void A_bad_stop_condition_names_its_part(string text, string expected) =>
        Assert.StartsWith(expected, Assert.Throws<UserErrorException>(() => StopCondition.Parse(text, "Capture:StopAfter")).Message, StringComparison.Ordinal);
}
