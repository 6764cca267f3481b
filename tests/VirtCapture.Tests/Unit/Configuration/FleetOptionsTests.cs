using VirtCapture.Fleet;

namespace VirtCapture.Tests.Unit.Configuration;

/// <summary>The fleet's settings: off without a broker, and every mistake one line naming the key.</summary>
public sealed class FleetOptionsTests
{
    [Fact]
    public void Without_a_broker_there_is_no_fleet_and_nothing_to_check() =>
        Assert.True(new FleetOptionsValidator().Validate(null, new FleetOptions { Site = "#", KeepAliveSeconds = 0 }).Succeeded);

    [Theory]
    [InlineData("http://broker:1883", "site", "h1", 10, "Fleet:Broker must be mqtt://HOST[:PORT] or mqtts://HOST[:PORT], got 'http://broker:1883'")]
    [InlineData("mqtt://broker", "a/b", "h1", 10, "Fleet:Site must be one topic level")]
    [InlineData("mqtt://broker", "site", "h+1", 10, "Fleet:Box must be one topic level")]
    [InlineData("mqtt://broker", "site", "h1", 1, "Fleet:KeepAliveSeconds must be between 2 and 600, got 1")]
    public void A_wrong_fleet_setting_is_named(string broker, string site, string box, int keepAlive, string expected)
    {
        var result = new FleetOptionsValidator().Validate(null, new FleetOptions { Broker = broker, Site = site, Box = box, KeepAliveSeconds = keepAlive });
        Assert.StartsWith(expected, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mqtt://broker.site", "broker.site", 1883, false)]
    [InlineData("mqtts://10.0.0.1", "10.0.0.1", 8883, true)]
    [InlineData("mqtt://127.0.0.1:18830", "127.0.0.1", 18830, false)]
    public void Broker_urls_give_host_port_and_tls(string url, string host, int port, bool tls) =>
        Assert.Equal(new FleetBroker(host, port, tls), FleetBroker.TryParse(url));

    [Fact]
    public void Topics_are_the_documented_ones()
    {
        var topics = new FleetTopics("dc1", "h1");
        Assert.Equal(["virtcapture/dc1/h1/state", "virtcapture/dc1/h1/status", "virtcapture/dc1/h1/events", "virtcapture/dc1/h1/vms", "virtcapture/dc1/h1/cmd/+"],
            [topics.State, topics.Status, topics.Events, topics.Vms, topics.Commands]);
        Assert.Equal("virtcapture/dc1/follow/00:50:56:9a:10:02", topics.Followed("00:50:56:9a:10:02"));
        Assert.Equal("virtcapture/dc1/vm/00:50:56:9a:10:02", topics.Location("00:50:56:9a:10:02"));
        Assert.Equal("mark", FleetTopics.Last("virtcapture/dc1/h1/cmd/mark"));
    }
}
