using System.Globalization;
using System.Net;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Triggers;

/// <summary>
/// Incidents of a live capture (the simulated board's traffic): the ring files stay held while the post-trigger time
/// runs and are released after; a kill -9 while an incident is pending leaves it completed at the next start; stop
/// conditions end a capture on time.
/// </summary>
public sealed class LiveIncidentTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Ring_files_stay_held_until_the_incident_is_complete_and_it_holds_the_ring_frames_of_its_window()
    {
        using var box = new TriggerBox(null, ["rarp: filter=rarp; pre=3s; post=4s; holdoff=1h"], new Dictionary<string, string> { ["Storage__FileDurationSeconds"] = "1" });
        box.Process.WaitFor("Trigger rarp fired");
        var pending = Assert.Single(box.List());
        Assert.False(pending.GetProperty("complete").GetBoolean());
        var name = pending.GetProperty("name").GetString()!;
        Assert.Equal(HttpStatusCode.NotFound, (await box.Client.GetAsync($"/api/incidents/{name}")).StatusCode);

        // The newest finished ring file is inside the held window: the API may not delete it while the incident runs.
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (Directory.GetFiles(box.Captures, "vc_*.pcapng").Length == 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        var held = Path.GetFileName(Directory.GetFiles(box.Captures, "vc_*.pcapng").Order(StringComparer.Ordinal).Last());
        using (var refused = await box.Client.DeleteAsync($"/api/captures/{held}"))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains($"held for incident {name}", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var incident = box.WaitForComplete(1, TimeSpan.FromSeconds(20)).Single();
        var trigger = incident.GetProperty("triggerNs").GetInt64();
        var file = box.Download(name);
        Tshark.AssertReadsCleanly(file);
        var ring = box.MergedRing();
        var window = string.Create(CultureInfo.InvariantCulture, $"frame.time_epoch >= {Seconds(trigger - 3_000_000_000)} && frame.time_epoch <= {Seconds(trigger + 4_000_000_000)}");
        var expected = Tshark.Fields(ring, window, "frame.time_epoch", "frame.len", "eth.src");
        // The trigger may come before 3 s of capture: at least the 4 s after it, at 2000 frames/s.
        Assert.True(expected.Length > 7_000, $"4 to 7 s at 2000 frames/s, got {expected.Length}");
        Assert.Equal(expected, Tshark.Fields(file, null, "frame.time_epoch", "frame.len", "eth.src"));
        var comment = Assert.Single(Tshark.Fields(file, "frame.comment", "frame.time_epoch", "frame.comment", "arp.opcode"));
        Assert.StartsWith($"{Seconds(trigger)}\tTRIGGER rarp: trigger rarp (filter 'rarp'", comment, StringComparison.Ordinal);
        Assert.EndsWith("\t3", comment, StringComparison.Ordinal); // the RARP request itself

        // Released: the same file may go now.
        Assert.Equal(HttpStatusCode.NoContent, (await box.Client.DeleteAsync($"/api/captures/{held}")).StatusCode);
    }

    [Fact]
    public void An_incident_pending_at_a_kill_9_is_completed_at_the_next_start_from_the_held_files()
    {
        using var box = new TriggerBox(null, ["rarp: filter=rarp; pre=2s; post=30s; holdoff=1h"], new Dictionary<string, string> { ["Storage__FileDurationSeconds"] = "1" }, _dir);
        box.Process.WaitFor("Trigger rarp fired");
        Thread.Sleep(1500);
        box.Process.KillHard();
        var records = Directory.GetFiles(box.Incidents, "incident-*.json");
        var record = Assert.Single(records, f => f.EndsWith(".json", StringComparison.Ordinal));
        Assert.Contains("\"complete\":false", File.ReadAllText(record), StringComparison.Ordinal);

        box.Restart();
        // The restarted capture may fire the rule again: the incident here is the one the kill left pending.
        var name = Path.GetFileNameWithoutExtension(record);
        var incident = box.WaitForComplete(1, TimeSpan.FromSeconds(20)).Single(i => i.GetProperty("name").GetString() == name);
        Assert.True(incident.GetProperty("complete").GetBoolean());
        Assert.Equal("the box restarted before the post-trigger time ended", incident.GetProperty("note").GetString());
        var file = box.Download(incident.GetProperty("name").GetString()!);
        Tshark.AssertReadsCleanly(file);
        var trigger = incident.GetProperty("triggerNs").GetInt64();
        var frames = Tshark.Fields(file, null, "frame.time_epoch");
        Assert.True(frames.Length > 2000, $"the 2 s before the trigger and the 1.5 s after, at 2000 frames/s: got {frames.Length}");
        Assert.Single(Tshark.Fields(file, "frame.comment contains \"TRIGGER rarp\"", "frame.time_epoch"), Seconds(trigger));
        Assert.Single(Tshark.Fields(file, "frame.comment contains \"the box restarted\"", "frame.number"));
        Assert.False(File.Exists(Path.Combine(box.Incidents, incident.GetProperty("name").GetString() + ".pcapng.part")));
    }

    [Fact]
    public void A_stop_condition_ends_the_capture_on_time_and_a_stop_filter_after_its_frame()
    {
        using var timed = new TriggerBox(null, [], new Dictionary<string, string> { ["Capture__StopAfter"] = "duration=2s", ["Capture__SyntheticRate"] = "50" });
        timed.Process.WaitFor("Capture stopped by its stop condition: 2 s elapsed", TimeSpan.FromSeconds(10));
        timed.Process.WaitFor("Capture stopped: ");

        using var filtered = new TriggerBox(null, [], new Dictionary<string, string> { ["Capture__StopAfter"] = "filter=rarp" });
        filtered.Process.WaitFor("Capture stopped by its stop condition: a frame matched 'rarp'", TimeSpan.FromSeconds(10));
        // The ring is read once the stop has closed its files (the last one is renamed from .part then).
        filtered.Process.WaitFor("Capture stopped: ");
        var ring = filtered.MergedRing();
        var rarps = Tshark.Fields(ring, "arp.opcode == 3", "frame.number");
        Assert.Single(rarps);
        Assert.Equal(Tshark.Count(ring), int.Parse(rarps[0], CultureInfo.InvariantCulture) + Tshark.Count(ring, $"frame.number > {rarps[0]}"));
    }

    [Fact]
    public void A_frame_count_stops_the_capture_at_exactly_that_many_frames()
    {
        var replay = TriggerTraffic.Write(_dir.File("traffic.pcap"), 5000, new HashSet<int>());
        using var box = new TriggerBox(replay, [], new Dictionary<string, string> { ["Capture__StopAfter"] = "frames=1234" });
        box.Process.WaitFor("Capture stopped by its stop condition: 1234 frames", TimeSpan.FromSeconds(10));
        box.Process.WaitFor("Capture stopped: ");
        Assert.Equal(1234, Tshark.Count(box.MergedRing()));
    }

    [Fact]
    public void Trigger_only_mode_keeps_the_ring_to_its_seconds_and_the_disk_flat_while_incidents_are_kept()
    {
        using var box = new TriggerBox(null, ["rarp: filter=rarp; pre=2s; post=2s; holdoff=6s"], new Dictionary<string, string>
        {
            ["Storage__KeepSeconds"] = "5",
            ["Storage__FileDurationSeconds"] = "1",
        });
        Thread.Sleep(8000);
        var sizes = new List<long>();
        for (var i = 0; i < 24; i++)
        {
            sizes.Add(RingBytes(box.Captures));
            Thread.Sleep(1000);
        }

        // 2000 frames/s of IMIX is about 0.7 MB/s: the ring holds its 5 s, a file being written and an incident's
        // held files, and the same after 8 s as after 32 s.
        Assert.True(sizes.Max() < 12_000_000, $"ring sizes over 24 s: {string.Join(", ", sizes)}");
        Assert.True(sizes.Max() < 2.5 * sizes.Min(), $"the ring should stay flat: {string.Join(", ", sizes)}");
        var incidents = box.WaitForComplete(3, TimeSpan.FromSeconds(10));
        Assert.Contains("older than the ring's 5 s (Storage:KeepSeconds)", box.Process.Output, StringComparison.Ordinal);
        foreach (var incident in incidents.Where(i => i.GetProperty("complete").GetBoolean()))
        {
            var file = box.Download(incident.GetProperty("name").GetString()!);
            Tshark.AssertReadsCleanly(file);
            // 4 s of traffic (the first may have come within 2 s of the start).
            Assert.InRange(Tshark.Count(file), 4_000, 9_000);
        }
    }

    // A file the ring deletes while it is being measured counts 0.
    private static long RingBytes(string directory) =>
        Directory.GetFiles(directory, "vc_*").Sum(path => new FileInfo(path) is { Exists: true } info ? info.Length : 0);

    private static string Seconds(long ns) => string.Create(CultureInfo.InvariantCulture, $"{ns / 1_000_000_000}.{ns % 1_000_000_000:D9}");
}
