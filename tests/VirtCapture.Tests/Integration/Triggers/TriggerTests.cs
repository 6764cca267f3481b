using System.Globalization;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Triggers;

/// <summary>
/// Triggers and incidents on the real firmware: the incident holds exactly the ring's frames of its window (tshark
/// reads both), the triggering frame carries the rule's comment, a rate rule fires on the frame that reaches its
/// count, and a hold-off folds a storm into one incident.
/// </summary>
public sealed class TriggerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_rare_frame_makes_an_incident_of_exactly_the_ring_frames_around_it_and_a_storm_makes_one()
    {
        // A lone reset at 300 s; a storm of 20 resets from 450 s, one every 100 ms.
        var resets = new HashSet<int> { 3000 };
        resets.UnionWith(Enumerable.Range(4500, 20));
        var replay = TriggerTraffic.Write(_dir.File("traffic.pcap"), 6000, resets);
        using var box = new TriggerBox(replay,
        [
            "rst: filter=tcp[tcpflags] & tcp-rst != 0; pre=60s; post=30s; holdoff=60s",
            "storm: filter=tcp[tcpflags] & tcp-rst != 0; count=5; within=1s; pre=10s; post=10s; holdoff=60s",
        ]);

        var incidents = box.WaitForComplete(3);
        Assert.Equal(3, incidents.Length);
        var ring = box.MergedRing();
        Assert.Equal(6000, Tshark.Count(ring));

        // The lone reset: frames 2400..3300, every one of the ring's frames from 60 s before to 30 s after.
        var lone = incidents.Single(i => i.GetProperty("rule").GetString() == "rst" && i.GetProperty("triggerNs").GetInt64() == TriggerTraffic.TimeOf(3000));
        AssertWindow(box, ring, lone, TriggerTraffic.TimeOf(3000) - 60_000_000_000, TriggerTraffic.TimeOf(3000) + 30_000_000_000, 3000, "rst");

        // The storm's rst incident starts at its first reset (the hold-off after 300 s is over); the rate rule fires on
        // the fifth reset within 1 s (450.4 s) and not before, and its 15 later resets start nothing new.
        var first = incidents.Single(i => i.GetProperty("rule").GetString() == "rst" && i.GetProperty("triggerNs").GetInt64() == TriggerTraffic.TimeOf(4500));
        AssertWindow(box, ring, first, TriggerTraffic.TimeOf(4500) - 60_000_000_000, TriggerTraffic.TimeOf(4500) + 30_000_000_000, 4500, "rst");
        var storm = Assert.Single(incidents, i => i.GetProperty("rule").GetString() == "storm");
        Assert.Equal(TriggerTraffic.TimeOf(4504), storm.GetProperty("triggerNs").GetInt64());
        AssertWindow(box, ring, storm, TriggerTraffic.TimeOf(4504) - 10_000_000_000, TriggerTraffic.TimeOf(4504) + 10_000_000_000, 4504, "storm");

        var metrics = await box.Client.GetStringAsync("/metrics");
        Assert.Contains("virtcapture_trigger_fires_total{rule=\"storm\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("virtcapture_trigger_fires_total{rule=\"rst\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("virtcapture_trigger_matches_total{rule=\"storm\",kind=\"merged\"} 15", metrics, StringComparison.Ordinal);
        Assert.Contains("virtcapture_trigger_matches_total{rule=\"rst\",kind=\"merged\"} 19", metrics, StringComparison.Ordinal);
        Assert.Contains("virtcapture_incidents{state=\"complete\"} 3", metrics, StringComparison.Ordinal);

        // Deleted like a capture; a name that is not an incident's reaches nothing.
        var name = storm.GetProperty("name").GetString()!;
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await box.Client.DeleteAsync($"/api/incidents/{name}")).StatusCode);
        Assert.Equal(2, box.List().Length);
        Assert.False(File.Exists(Path.Combine(box.Incidents, name + ".pcapng")));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await box.Client.GetAsync("/api/incidents/..%2F..%2Fetc%2Fpasswd")).StatusCode);
    }

    private static void AssertWindow(TriggerBox box, string ring, System.Text.Json.JsonElement incident, long fromNs, long toNs, int triggerIndex, string rule)
    {
        Assert.Equal(fromNs, incident.GetProperty("fromNs").GetInt64());
        Assert.Equal(toNs, incident.GetProperty("toNs").GetInt64());
        var file = box.Download(incident.GetProperty("name").GetString()!);
        Tshark.AssertReadsCleanly(file);
        var window = string.Create(CultureInfo.InvariantCulture, $"frame.time_epoch >= {fromNs / 1e9:F1} && frame.time_epoch <= {toNs / 1e9:F1}");
        var expected = Tshark.Fields(ring, window, "frame.time_epoch", "frame.len", "ip.proto");
        var actual = Tshark.Fields(file, null, "frame.time_epoch", "frame.len", "ip.proto");
        Assert.Equal((int)((toNs - fromNs) / TriggerTraffic.SpacingNs) + 1, expected.Length);
        Assert.Equal(expected, actual);
        Assert.Equal(expected.Length, incident.GetProperty("frames").GetInt32());

        var comments = Tshark.Fields(file, "frame.comment", "frame.time_epoch", "frame.comment");
        var comment = Assert.Single(comments);
        var at = TriggerTraffic.TimeOf(triggerIndex);
        Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"{at / 1_000_000_000}.{at % 1_000_000_000:D9}\tTRIGGER {rule}: trigger {rule} (filter"), comment, StringComparison.Ordinal);
    }
}
