using VirtCapture.Collector;
using VirtCapture.Configuration;

namespace VirtCapture.Tests.Unit.Configuration;

/// <summary>The collector's settings: every mistake is one line naming the key; a session reads back as written.</summary>
public sealed class CollectorOptionsTests
{
    [Theory]
    [InlineData("192.0.2.10", "A", "Monitor", "vxlan-5001@192.0.2.1", "Capture:Collector:Address must be an address with its prefix length")]
    [InlineData("192.0.2.10/33", "A", "Monitor", "vxlan-5001@192.0.2.1", "Capture:Collector:Address must be an address with its prefix length")]
    [InlineData("192.0.2.10/24", "C", "Monitor", "vxlan-5001@192.0.2.1", "Capture:Collector:Port must name one of Capture:Ports (A, B) or MGMT, got 'C'")]
    [InlineData("192.0.2.10/24", "MGMT", "Monitor", "vxlan-5001@192.0.2.1", "Capture:Collector:Interface must name the management port's interface (like eth0) when Capture:Collector:Port is MGMT, got ''")]
    [InlineData("192.0.2.10/24", "A", "Inline", "vxlan-5001@192.0.2.1", "Capture:Collector needs Capture:Mode Monitor")]
    [InlineData("192.0.2.10/24", "A", "Monitor", "nvgre-1@192.0.2.1", "Capture:Collector:Sessions: 'nvgre-1@192.0.2.1' is not KIND-ID@SOURCE")]
    [InlineData("192.0.2.10/24", "A", "Monitor", "vxlan-x@192.0.2.1", "Capture:Collector:Sessions: 'vxlan-x@192.0.2.1' is not KIND-ID@SOURCE")]
    public void A_wrong_collector_setting_is_named(string address, string port, string mode, string session, string expected)
    {
        var options = new CaptureOptions
        {
            Mode = mode,
            Ports = [new PortOptions { Name = "A", Interface = "a0" }, new PortOptions { Name = "B", Interface = "b0" }],
            Collector = new CollectorOptions { Address = address, Port = port, Sessions = [session] },
        };
        var result = new CaptureOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(-1, 64, "Capture:Collector:DedupWindowMs must be between 0 (off) and 1000 ms, got -1")]
    [InlineData(5000, 64, "Capture:Collector:DedupWindowMs must be between 0 (off) and 1000 ms, got 5000")]
    [InlineData(0, 0, "Capture:Collector:MaxSessions must be between 1 and 1024, got 0")]
    public void Dedup_and_session_limits_are_checked(int dedupMs, int maxSessions, string expected)
    {
        var options = new CaptureOptions
        {
            Mode = "Monitor",
            Ports = [new PortOptions { Name = "A", Interface = "a0" }],
            Collector = new CollectorOptions { Address = "192.0.2.10/24", Port = "A", DedupWindowMs = dedupMs, MaxSessions = maxSessions },
        };
        Assert.Equal([expected], new CaptureOptionsValidator().Validate(null, options).Failures!);
    }

    [Fact]
    public void No_session_listed_is_every_session_and_the_management_port_with_its_interface_is_a_collector()
    {
        var options = new CaptureOptions
        {
            Mode = "Monitor",
            Ports = [new PortOptions { Name = "A", Interface = "a0" }],
            Collector = new CollectorOptions { Address = "192.0.2.10/24", Port = "mgmt", Interface = "eth0" },
        };
        Assert.True(new CaptureOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("erspan3-12@10.0.0.5", "ERSPAN III session 12 from 10.0.0.5")]
    [InlineData("vxlan-5001@2001:db8::8", "VXLAN VNI 5001 from 2001:db8::8")]
    [InlineData("gre-0@10.0.0.7", "GRE (Ethernet) from 10.0.0.7")]
    [InlineData("GENEVE-6001@10.0.0.9", "Geneve VNI 6001 from 10.0.0.9")]
    [InlineData("erspan3-12@any", "ERSPAN III session 12 from any sender")]
    public void A_session_reads_back_as_its_interface_name_and_description(string text, string description)
    {
        Assert.True(MirrorSession.TryParse(text, out var session));
        Assert.Equal(description, session.Description);
        Assert.True(MirrorSession.TryParse(session.Name, out var again));
        Assert.Equal(session, again);
    }
}
