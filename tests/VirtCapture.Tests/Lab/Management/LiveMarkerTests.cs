using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Lab.Management;

/// <summary>
/// The page's graphs mark drops and link changes on their time axis from the live event stream's markers. The
/// simulated board never drops and never loses link, so here the real thing happens in the lab: the firmware on
/// AF_PACKET with a 4 MB kernel ring is frozen (SIGSTOP) while a flood fills it, and the host pulls port A's cable
/// (its end of the veth goes down).
/// </summary>
public sealed class LiveMarkerTests : IDisposable
{
    private const string Frame = """
        { eth(da=02:00:00:00:0b:01, sa=02:00:00:00:0a:01), ipv4(sa=192.0.2.1, da=192.0.2.2), udp(sp=5000, dp=5001), fill(0x41, 18) }
        """;

    private readonly LabNetwork _lab = new();

    public void Dispose() => _lab.Dispose();

    [RootFact]
    public async Task Kernel_drops_and_a_pulled_cable_are_marked_on_the_live_stream_with_the_counts_the_box_reports()
    {
        // Monitor mode: nothing is forwarded to B, so port A's drops and cable are the only things to mark.
        // A 4 MB kernel ring, which the frozen box cannot empty (300000 frames are over 40 MB in it): the lab's 64 MB
        // ring would leave the drops to the buffer, and to a race between the thawed box and its writer.
        using var firmware = _lab.StartFirmware("AfPacket", "--Capture:Mode=Monitor", "--Capture:RingMB=4", "--Capture:BufferMB=4", "--Management:LiveIntervalMs=250");
        firmware.WaitFor("Capture started");

        _lab.Send("host", Frame, 300, "2ms");
        firmware.Signal("STOP");
        _lab.Send("host", Frame, 300_000, "0");
        firmware.Signal("CONT");
        _lab.Send("host", Frame, 300, "2ms");
        var dropped = await SettledDrops();
        Assert.True(dropped > 0, "the frozen box (4 MB ring) dropped nothing of 300000 frames");

        Assert.Equal(0, _lab.Exec("host", "ip", "link", "set", "host0", "down").ExitCode);
        await WaitForLink(up: false);
        Assert.Equal(0, _lab.Exec("host", "ip", "link", "set", "host0", "up").ExitCode);
        await WaitForLink(up: true);
        await Task.Delay(600);

        // What a page opened now receives first: the kept history of samples and markers.
        var update = FirstUpdate();
        var markers = update.GetProperty("markers").EnumerateArray()
            .Select(m => (Kind: m.GetProperty("kind").GetString()!, Text: m.GetProperty("text").GetString()!, Port: m.TryGetProperty("port", out var port) ? port.GetString() : null, TimeMs: m.GetProperty("timeMs").GetInt64()))
            .ToList();

        var drops = markers.Where(m => m.Kind == "drop" && m.Port == "A").ToList();
        Assert.NotEmpty(drops);
        Assert.Equal(dropped, Sum(drops, "A"));
        // A frame the switch side sends while the buffer is full is dropped on B too (a neighbour solicitation): its
        // marks say exactly what B's counters say.
        Assert.Equal(Drops("B"), Sum(markers.Where(m => m.Kind == "drop" && m.Port == "B").ToList(), "B"));

        // The cable was out for about one sample: marked as down then up, or, when both changes fell between two
        // samples, as one flap; either way the last mark says it is up again.
        var links = markers.Where(m => m.Kind == "link" && m.Port == "A").ToList();
        Assert.True(links.Exists(m => m.Text == "link down on port A" || m.Text.StartsWith("link flapped on port A", StringComparison.Ordinal)), "no mark of port A's link going down: " + string.Join("; ", markers.Select(m => m.Text)));
        Assert.True(links[^1].Text is "link up on port A" || links[^1].Text.EndsWith("now up", StringComparison.Ordinal), "the last link mark does not say port A is up again: " + links[^1].Text);
        Assert.True(links[0].TimeMs > drops[^1].TimeMs, "the cable was pulled after the drops");

        // The graph's drop series: some sample shows port A's kernel drops per second, and the last one the totals.
        var samples = update.GetProperty("samples").EnumerateArray().ToList();
        Assert.Contains(samples, s => PortA(s).GetProperty("kernelDropsPerSecond").GetDouble() + PortA(s).GetProperty("bufferDropsPerSecond").GetDouble() > 0);
        var last = PortA(samples[^1]);
        Assert.Equal(dropped, last.GetProperty("kernelDropped").GetInt64() + last.GetProperty("bufferDropped").GetInt64());
        Assert.True(last.GetProperty("linkUp").GetBoolean());
    }

    [RootFact]
    public async Task Drops_before_a_capture_s_first_sample_are_marked_too()
    {
        // The first sample comes 8 s after start; the box is frozen and flooded well before it. A capture's counters
        // start at zero, so its first sample marks everything dropped since it started.
        using var firmware = _lab.StartFirmware("AfPacket", "--Capture:Mode=Monitor", "--Capture:RingMB=4", "--Capture:BufferMB=4", "--Management:LiveIntervalMs=8000");
        firmware.WaitFor("Capture started");
        firmware.WaitFor("Application started");
        firmware.Signal("STOP");
        _lab.Send("host", Frame, 300_000, "0");
        firmware.Signal("CONT");
        var dropped = await SettledDrops();
        Assert.True(dropped > 0, "the frozen box (4 MB ring) dropped nothing of 300000 frames");

        var deadline = DateTime.UtcNow.AddSeconds(20);
        List<(string Kind, string Text, string? Port, long TimeMs)> drops = [];
        while (DateTime.UtcNow < deadline)
        {
            var update = FirstUpdate();
            if (update.GetProperty("samples").GetArrayLength() > 0)
            {
                drops = [.. update.GetProperty("markers").EnumerateArray()
                    .Select(m => (Kind: m.GetProperty("kind").GetString()!, Text: m.GetProperty("text").GetString()!, Port: m.TryGetProperty("port", out var port) ? port.GetString() : null, TimeMs: m.GetProperty("timeMs").GetInt64()))
                    .Where(m => m.Kind == "drop" && m.Port == "A")];
                break;
            }

            await Task.Delay(500);
        }

        Assert.Equal(dropped, Sum(drops, "A"));
    }

    private static long Sum(List<(string Kind, string Text, string? Port, long TimeMs)> marks, string port) =>
        marks.Sum(m => long.Parse(Regex.Match(m.Text, $@"^(\d+) frames dropped on port {port} ").Groups[1].Value, CultureInfo.InvariantCulture));

    private static JsonElement PortA(JsonElement sample) =>
        sample.GetProperty("ports").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "A");

    /// <summary>Port A's drops once they stop growing (the thawed box catches up with its ring first).</summary>
    private async Task<long> SettledDrops()
    {
        long last = -1;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var now = Drops("A");
            if (now > 0 && now == last)
            {
                return now;
            }

            last = now;
            await Task.Delay(700);
        }

        return last;
    }

    private long Drops(string port)
    {
        using var status = JsonDocument.Parse(_lab.Api("GET", "/api/status"));
        var a = status.RootElement.GetProperty("ports").EnumerateArray().Single(p => p.GetProperty("name").GetString() == port).GetProperty("counters");
        return a.GetProperty("kernelDropped").GetInt64() + a.GetProperty("bufferDropped").GetInt64();
    }

    private async Task WaitForLink(bool up)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            using var status = JsonDocument.Parse(_lab.Api("GET", "/api/status"));
            var a = status.RootElement.GetProperty("ports").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "A");
            if (a.GetProperty("link").GetProperty("up").GetBoolean() == up)
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"port A's link did not go {(up ? "up" : "down")} within 15 s");
    }

    /// <summary>The first "update" event of <c>/api/events/live</c>, read with curl inside the box's namespace.</summary>
    private JsonElement FirstUpdate()
    {
        var token = File.ReadAllText(_lab.TokenFile).Trim();
        var result = _lab.Exec("box", "curl", "-s", "-N", "--max-time", "2", "-H", $"Authorization: Bearer {token}", $"http://127.0.0.1:{_lab.ApiPort}/api/events/live");
        var lines = result.StdOut.Split('\n');
        var at = Array.FindIndex(lines, l => l.TrimEnd() == "event: update");
        Assert.True(at >= 0 && at + 1 < lines.Length && lines[at + 1].StartsWith("data: ", StringComparison.Ordinal), $"no update event in the stream (curl exit {result.ExitCode}): {result.StdOut[..Math.Min(300, result.StdOut.Length)]}");
        using var document = JsonDocument.Parse(lines[at + 1]["data: ".Length..]);
        return document.RootElement.Clone();
    }
}
