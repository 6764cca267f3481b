using VirtCapture.Configuration;
using VirtCapture.Management;

namespace VirtCapture.Tests.Unit.Management;

/// <summary>The start request picks a collector's sessions; anything else about them is one line naming it.</summary>
public sealed class StartSessionsTests
{
    private static readonly CaptureOptions Collector = new()
    {
        Mode = "Monitor",
        Collector = new CollectorOptions { Port = "A", Address = "192.0.2.10/24", Sessions = ["vxlan-5001@192.0.2.1"] },
    };

    [Fact]
    public void Sessions_replace_the_listed_ones_and_are_kept_for_the_next_start()
    {
        var change = ConfigChange.ForStart(null, null, null, Collector, ["erspan3-12@10.0.0.5", "gre-0@any"]);
        Assert.Equal(["erspan3-12@10.0.0.5", "gre-0@any"], change.Capture!.Collector!.Sessions);
        Assert.Equal(["vxlan-5001@192.0.2.1"], Collector.Collector!.Sessions);
        Assert.Equal(["erspan3-12@10.0.0.5", "gre-0@any"], (List<string>)change.Values["Capture:Collector:Sessions"]);
        Assert.Empty(ConfigChange.ForStart(null, null, null, Collector, []).Capture!.Collector!.Sessions);
    }

    [Theory]
    [InlineData("vxlan-5001", "sessions: 'vxlan-5001' is not KIND-ID@SOURCE")]
    [InlineData(null, "sessions: 'null' is not KIND-ID@SOURCE")]
    public void A_wrong_session_is_named(string? session, string expected)
    {
        var error = Assert.Throws<UserErrorException>(() => ConfigChange.ForStart(null, null, null, Collector, [session]));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_box_that_is_no_collector_refuses_sessions() =>
        Assert.StartsWith("sessions: this box is not a collector", Assert.Throws<UserErrorException>(() => ConfigChange.ForStart(null, null, null, new CaptureOptions(), ["vxlan-1@any"])).Message, StringComparison.Ordinal);
}
