using System.Globalization;
using System.Net;
using System.Text.Json;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Management;

/// <summary>
/// The web page as a field tool, in Debian's headless Chromium (tests/web/live-check.mjs): live graphs pushed by the
/// box, the ring's timeline with MARK on it, a window dragged and downloaded, the phone width; the event stream's
/// authentication and its memory over a long stay.
/// </summary>
public sealed class LivePageTests
{
    private static readonly string Web = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../web"));

    [Fact]
    public async Task After_a_minute_of_traffic_the_page_graphs_the_box_marks_picks_a_window_and_fits_a_phone()
    {
        using var box = new BoxFixture();
        var wide = Path.Combine(AppContext.BaseDirectory, "web-live-1280.png");
        var phone = Path.Combine(AppContext.BaseDirectory, "web-live-390.png");
        var download = Path.Combine(box.Directory, "window.pcapng");
        var run = Run.Program("node", [Path.Combine(Web, "live-check.mjs"), box.BaseAddress.ToString().TrimEnd('/'), box.Token, "60", wide, phone, download], TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0, $"the page check failed to run: {run.StdErr}");
        using var seen = JsonDocument.Parse(run.Lines.Last());
        var page = seen.RootElement;
        Assert.False(page.TryGetProperty("error", out var error), $"in the browser: {error}");
        Assert.True(page.GetProperty("consoleErrors").GetArrayLength() == 0, $"console errors: {page.GetProperty("consoleErrors")}");
        Assert.Equal(0, page.GetProperty("foreignRequests").GetArrayLength());
        Assert.True(page.GetProperty("firstContentfulPaintMs").GetDouble() < 1000, $"first paint after {page.GetProperty("firstContentfulPaintMs")} ms");
        Console.WriteLine($"first paint {page.GetProperty("firstContentfulPaintMs")} ms, graphs drawn {page.GetProperty("firstRenderMs")} ms");

        // The graph's last point is the last sample, and the box's counter is that sample's plus at most about one
        // interval of traffic.
        var live = page.GetProperty("live");
        Assert.Equal(live.GetProperty("sampleTimeMs").GetInt64() / 1000.0, live.GetProperty("chartLastX").GetDouble(), 3);
        Assert.Equal(live.GetProperty("sampleFps").GetDouble(), live.GetProperty("chartLastFps").GetDouble(), 3);
        var fps = live.GetProperty("sampleFps").GetDouble();
        Assert.InRange(fps, 500, 5000);
        var ahead = live.GetProperty("statusReceived").GetInt64() - live.GetProperty("sampleReceived").GetInt64();
        Assert.InRange(ahead, 0, (long)(fps * 1.6));
        Assert.True(live.GetProperty("samples").GetInt32() >= 55, "a minute of samples");

        Assert.True(page.GetProperty("markOnTimeline").GetInt32() >= 1);
        Assert.True(page.GetProperty("filesOnTimeline").GetInt32() >= 30, "the ring's files (one a second) are on the timeline");

        // The dragged window: what the page downloaded is exactly what /api/packets gives for it.
        var href = page.GetProperty("href").GetString()!;
        Assert.StartsWith("/api/packets?from=", href, StringComparison.Ordinal);
        var again = Path.Combine(box.Directory, "window-api.pcapng");
        await File.WriteAllBytesAsync(again, await box.Client.GetByteArrayAsync(href));
        var frames = Tshark.Fields(download, null, "frame.time_epoch", "frame.len", "eth.src");
        Assert.True(frames.Length > 1000, $"the window of 6 s at 3000 frames/s holds frames, got {frames.Length}");
        Assert.Equal(Tshark.Fields(again, null, "frame.time_epoch", "frame.len", "eth.src"), frames);
        var query = System.Web.HttpUtility.ParseQueryString(href[(href.IndexOf('?', StringComparison.Ordinal) + 1)..]);
        var from = decimal.Parse(query["from"]!, CultureInfo.InvariantCulture);
        var to = decimal.Parse(query["to"]!, CultureInfo.InvariantCulture);
        Assert.All(frames, f => Assert.InRange(decimal.Parse(f.Split('\t')[0], CultureInfo.InvariantCulture), from, to));

        var fileTime = page.GetProperty("fileTime");
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$", fileTime.GetProperty("text").GetString());
        Assert.EndsWith(" UTC", fileTime.GetProperty("title").GetString(), StringComparison.Ordinal);

        var macs = page.GetProperty("macsSorted").EnumerateArray().Select(m => m.GetString()!).ToArray();
        Assert.True(macs.Length >= 6, "the simulated board's VMs are listed");
        Assert.Equal(macs.Order(StringComparer.Ordinal), macs);
        Assert.Equal(["VMware"], page.GetProperty("familiesShown").EnumerateArray().Select(f => f.GetString()));
        var vm = page.GetProperty("selectedVm").GetString()!;
        Assert.InRange(page.GetProperty("vmMarkersOne").GetInt32(), 1, page.GetProperty("vmMarkersAll").GetInt32() - 1);
        Assert.Contains("filter=ether%20host%20" + Uri.EscapeDataString(vm), page.GetProperty("hrefForVm").GetString(), StringComparison.Ordinal);

        var phoneSeen = page.GetProperty("phone");
        Assert.True(phoneSeen.GetProperty("scrollWidth").GetInt32() <= phoneSeen.GetProperty("innerWidth").GetInt32(), $"at 390 px the page is {phoneSeen.GetProperty("scrollWidth")} px wide");
        Assert.Equal(0, phoneSeen.GetProperty("smallButtons").GetArrayLength());
        Assert.True(new FileInfo(wide).Length > 20_000 && new FileInfo(phone).Length > 20_000, "screenshots were taken");
        Console.WriteLine($"screenshots: {wide} {phone}");
    }

    [Fact]
    public async Task The_page_is_served_by_the_box_compressed_cached_and_under_300_kB()
    {
        using var box = new BoxFixture();
        using var handler = new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None };
        using var http = new HttpClient(handler) { BaseAddress = box.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", box.Token);
        http.DefaultRequestHeaders.AcceptEncoding.ParseAdd("gzip");
        long total = 0;
        foreach (var path in new[] { "/", "/assets/uPlot.iife.min.js", "/assets/uPlot.min.css" })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
            total += (await response.Content.ReadAsByteArrayAsync()).Length;
            var etag = response.Headers.ETag!;
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.IfNoneMatch.Add(etag);
            using var revalidated = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
            Assert.NotNull(response.Headers.CacheControl);
        }

        Assert.True(total < 300_000, $"the page weighs {total} bytes compressed");
        Console.WriteLine($"page weight: {total} bytes compressed");
        // The library's licence is served with it; anything not embedded is not found (no file is read from disk).
        Assert.Contains("MIT License", await box.Client.GetStringAsync("/assets/uPlot.LICENSE.txt"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/assets/..%2F..%2Fappsettings.json")).StatusCode);
        using var anonymous = new HttpClient { BaseAddress = box.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/assets/uPlot.iife.min.js")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/events/live")).StatusCode);
    }

    [Fact]
    public async Task The_event_stream_ends_when_its_token_does()
    {
        using var box = new BoxFixture();
        using var http = new HttpClient { BaseAddress = box.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", box.Token);
        using var response = await http.GetAsync("/api/events/live", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var updates = 0;
        while (updates < 3 && await reader.ReadLineAsync() is { } line)
        {
            updates += line == "event: update" ? 1 : 0;
        }

        // A new token in the token file: the old one no longer opens the box, and the open stream says so and ends.
        await File.WriteAllTextAsync(Path.Combine(box.Directory, "token"), "a-new-token-0123456789abcdef\n");
        var rest = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("event: end\ndata: {\"reason\":\"the token was changed: log in again\"}", rest, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/status")).StatusCode);
    }

    [Fact]
    public void A_page_left_open_ten_minutes_of_updates_does_not_grow_the_boxs_memory()
    {
        // Ten minutes of one-second updates (600), at twenty a second: the per-update work of the box is what grows,
        // if anything does, not the wall-clock time.
        using var box = new FastSamplingBox();
        using var soak = Run.Start("node", [Path.Combine(Web, "soak-check.mjs"), box.BaseAddress.ToString().TrimEnd('/'), box.Token, "45"]);
        Thread.Sleep(15_000);
        var warm = Rss(box.Firmware.Pid);
        Assert.True(soak.WaitForExit(120_000), "the soak check ended");
        var after = Rss(box.Firmware.Pid);
        using var seen = JsonDocument.Parse(soak.StandardOutput.ReadToEnd().Trim().Split('\n')[^1]);
        var page = seen.RootElement;
        Assert.False(page.TryGetProperty("error", out var error), $"in the browser: {error}");
        Assert.True(page.GetProperty("connected").GetBoolean(), "the page's stream is still open");
        Assert.True(page.GetProperty("updates").GetInt32() >= 600, $"{page.GetProperty("updates")} updates");
        Assert.Equal(300, page.GetProperty("samplesKept").GetInt32());
        Assert.True(page.GetProperty("lastAgeMs").GetInt64() < 2000, "the last sample is fresh");
        Console.WriteLine($"box RSS {warm / 1024} MB after warm-up, {after / 1024} MB after {page.GetProperty("updates")} more updates");
        Assert.True(after - warm < 16 * 1024, $"the box grew from {warm} kB to {after} kB");
    }

    // Twenty samples a second.
    private sealed class FastSamplingBox() : BoxFixture(3000, new Dictionary<string, string> { ["Management__LiveIntervalMs"] = "50" });

    private static long Rss(int pid) => long.Parse(File.ReadAllLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
