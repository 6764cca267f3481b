using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Management;

/// <summary>The management API over real Kestrel, with real clients: HttpClient, curl, tshark, tcpdump.</summary>
public sealed class ManagementApiTests : IClassFixture<BoxFixture>
{
    private readonly BoxFixture _box;

    public ManagementApiTests(BoxFixture box)
    {
        _box = box;
    }

    public static TheoryData<string, string> Routes => new()
    {
        { "GET", "/" },
        { "GET", "/metrics" },
        { "GET", "/openapi/v1.json" },
        { "GET", "/api/status" },
        { "GET", "/api/config" },
        { "PUT", "/api/config" },
        { "GET", "/api/captures" },
        { "GET", "/api/captures/vc_000001_20260101000000.pcapng" },
        { "DELETE", "/api/captures/vc_000001_20260101000000.pcapng" },
        { "GET", "/api/packets?from=0&to=1" },
        { "GET", "/api/live" },
        { "POST", "/api/capture/start" },
        { "POST", "/api/capture/stop" },
        { "POST", "/api/sim/buttons/mark" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_route_needs_the_token(string method, string route)
    {
        using var anonymous = _box.Create(null);
        using var wrong = _box.Create("not-the-token-at-all-0000");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), route))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.SendAsync(new HttpRequestMessage(new HttpMethod(method), route))).StatusCode);
        if (method == "GET" && route != "/api/live")
        {
            var ok = await _box.Client.GetAsync(route);
            Assert.NotEqual(HttpStatusCode.Unauthorized, ok.StatusCode);
            Assert.NotEqual(HttpStatusCode.Forbidden, ok.StatusCode);
        }
    }

    [Fact]
    public async Task Health_needs_no_token_and_repeated_failures_are_slowed_down()
    {
        using var anonymous = _box.Create(null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
        using var wrong = _box.Create("wrong-token-wrong-token-wrong");
        var started = DateTime.UtcNow;
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/status")).StatusCode);
        }

        // 100 + 200 + 400 + 800 ms of penalty at least.
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(1400), "failed attempts must be slowed down");
    }

    [Fact]
    public async Task Status_shows_the_capture_ports_storage_and_leds()
    {
        using var status = JsonDocument.Parse(await _box.Client.GetStringAsync("/api/status"));
        var root = status.RootElement;
        Assert.Equal("capturing", root.GetProperty("state").GetString());
        Assert.Equal(2, root.GetProperty("ports").GetArrayLength());
        Assert.True(root.GetProperty("ports")[0].GetProperty("counters").GetProperty("written").GetInt64() > 0);
        Assert.Equal("Steady", root.GetProperty("leds").GetProperty("CAPTURE").GetString());
        Assert.True(root.GetProperty("storage").GetProperty("files").GetInt32() >= 3);
    }

    [Fact]
    public async Task A_ranged_download_reassembles_byte_identically()
    {
        var file = Directory.GetFiles(_box.Captures, "*.pcapng").Order(StringComparer.Ordinal).First();
        var name = Path.GetFileName(file);
        var expected = await File.ReadAllBytesAsync(file);
        var parts = new List<byte>();
        var chunk = (expected.Length / 3) + 1;
        for (var start = 0; start < expected.Length; start += chunk)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/captures/{name}");
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(start, Math.Min(start + chunk, expected.Length) - 1);
            using var response = await _box.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
            parts.AddRange(await response.Content.ReadAsByteArrayAsync());
        }

        Assert.Equal(expected, parts.ToArray());
        using var whole = await _box.Client.GetAsync($"/api/captures/{name}");
        Assert.NotNull(whole.Headers.ETag);
        Assert.NotNull(whole.Content.Headers.LastModified);
        using var again = new HttpRequestMessage(HttpMethod.Get, $"/api/captures/{name}");
        again.Headers.IfNoneMatch.Add(whole.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await _box.Client.SendAsync(again)).StatusCode);
        using var beyond = new HttpRequestMessage(HttpMethod.Get, $"/api/captures/{name}");
        beyond.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(expected.Length + 10, expected.Length + 20);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await _box.Client.SendAsync(beyond)).StatusCode);
    }

    [Fact]
    public async Task A_time_window_with_a_filter_equals_what_tcpdump_selects_from_the_same_files()
    {
        var files = Directory.GetFiles(_box.Captures, "*.pcapng").Order(StringComparer.Ordinal).Take(3).ToArray();
        Assert.Equal(3, files.Length);
        // A window from the middle of the first file to the middle of the third.
        var first = Tshark.Fields(files[0], null, "frame.time_epoch").Select(decimal.Parse).ToArray();
        var third = Tshark.Fields(files[2], null, "frame.time_epoch").Select(decimal.Parse).ToArray();
        var from = first[first.Length / 2];
        var to = third[third.Length / 2];
        const string filter = "vlan 20";

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/packets?from={from.ToString(CultureInfo.InvariantCulture)}&to={to.ToString(CultureInfo.InvariantCulture)}&filter={Uri.EscapeDataString(filter)}");
        request.Headers.AcceptEncoding.Add(new System.Net.Http.Headers.StringWithQualityHeaderValue("gzip"));
        using var response = await _box.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("gzip", response.Content.Headers.ContentEncoding);
        using var dir = new TempDirectory();
        var ours = dir.File("window.pcapng");
        await using (var gunzip = new System.IO.Compression.GZipStream(await response.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress))
        await using (var file = File.Create(ours))
        {
            await gunzip.CopyToAsync(file);
        }
        Tshark.AssertReadsCleanly(ours);

        var expected = new List<string>();
        foreach (var file in files)
        {
            var selected = dir.File(Path.GetFileName(file) + ".td.pcap");
            Assert.Equal(0, Run.Program("tcpdump", "--time-stamp-precision=nano", "-r", file, "-w", selected, filter).ExitCode);
            expected.AddRange(Tshark.Fields(selected, null, "frame.time_epoch", "frame.len", "eth.src")
                .Where(l => decimal.Parse(l.Split('\t')[0], CultureInfo.InvariantCulture) is var t && t >= from && t <= to));
        }

        var actual = Tshark.Fields(ours, null, "frame.time_epoch", "frame.len", "eth.src");
        Assert.True(expected.Count > 100, $"the window should hold VLAN 20 frames, held {expected.Count}");
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void The_live_stream_is_read_by_tshark_from_stdin()
    {
        using var dir = new TempDirectory();
        var output = dir.File("live.pcapng");
        var script = $"curl -sN -H 'Authorization: Bearer {_box.Token}' '{_box.BaseAddress}api/live?filter=udp&snaplen=96' | tshark -i - -a duration:3 -w '{output}'";
        var result = Run.Program("bash", "-c", script);
        Assert.True(File.Exists(output), $"tshark wrote nothing: {result.StdErr}");
        Tshark.AssertReadsCleanly(output);
        var frames = Tshark.Fields(output, null, "udp.srcport", "frame.cap_len");
        Assert.True(frames.Length > 500, $"3 s of live traffic should give hundreds of UDP frames, got {frames.Length}");
        Assert.All(frames, f => Assert.True(f.Split('\t')[0].Length > 0 && int.Parse(f.Split('\t')[1], CultureInfo.InvariantCulture) <= 96, f));
    }

    [Fact]
    public async Task Metrics_parse_as_Prometheus_text()
    {
        var text = await _box.Client.GetStringAsync("/metrics");
        var samples = new Dictionary<string, double>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#'))
            {
                Assert.Matches(@"^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$", line);
                continue;
            }

            var match = System.Text.RegularExpressions.Regex.Match(line, @"^([a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})?) (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)$");
            Assert.True(match.Success, $"not a Prometheus sample: {line}");
            samples[match.Groups[1].Value] = double.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture);
        }

        Assert.Contains("# TYPE virtcapture_frames_total counter", text, StringComparison.Ordinal);
        Assert.True(samples["virtcapture_frames_total{port=\"A\",stage=\"written\"}"] > 0);
        Assert.Equal(1, samples["virtcapture_capture_state"]);
        Assert.True(samples["virtcapture_disk_free_bytes"] > 0);
        Assert.True(samples["virtcapture_bytes_written_total"] > 0);

        // The process itself, for a box left running for weeks: CPU, memory, managed heap and collections.
        Assert.True(samples["process_cpu_seconds_total"] > 0);
        Assert.True(samples["process_working_set_bytes"] > 10_000_000);
        Assert.True(samples["dotnet_total_memory_bytes"] > 0);
        Assert.True(samples["dotnet_collection_count_total{generation=\"0\"}"] >= 0);
    }

    [Theory]
    [InlineData("/api/captures/..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/api/captures/%2E%2E%2Ftoken")]
    [InlineData("/api/captures/..%5Ctoken")]
    [InlineData("/api/captures/.protected")]
    [InlineData("/api/captures/token")]
    public async Task No_request_reaches_a_file_outside_the_capture_directory(string route)
    {
        var response = await _box.Client.GetAsync(route);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{route}: {response.StatusCode}");
        Assert.DoesNotContain(_box.Token, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversized_bodies_and_filters_are_refused()
    {
        var huge = new StringContent("{\"capture\":{\"filter\":\"" + new string('x', 100_000) + "\"}}", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await _box.Client.PutAsync("/api/config", huge)).StatusCode);
        var longFilter = new string('a', 2000);
        Assert.Equal(HttpStatusCode.BadRequest, (await _box.Client.GetAsync($"/api/packets?from=0&to=1&filter={longFilter}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _box.Client.GetAsync("/api/packets?from=yesterday&to=1")).StatusCode);
    }

    [Fact]
    public async Task A_bad_filter_or_setting_is_a_400_naming_it()
    {
        var response = await _box.Client.GetAsync("/api/live?filter=" + Uri.EscapeDataString("udp and portt 53"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'udp and portt 53'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var put = await _box.Client.PutAsJsonAsync("/api/config", new { storage = new { onFull = "Sometimes" } });
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains("Storage:OnFull must be one of Overwrite, Stop", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Downloads_during_a_capture_cause_no_capture_drops()
    {
        var deadline = DateTime.UtcNow.AddSeconds(4);
        long bytes = 0;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var file in Directory.GetFiles(_box.Captures, "*.pcapng").Take(4))
            {
                var response = await _box.Client.GetAsync($"/api/captures/{Path.GetFileName(file)}");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    bytes += (await response.Content.ReadAsByteArrayAsync()).Length;
                }
            }
        }

        using var status = JsonDocument.Parse(await _box.Client.GetStringAsync("/api/status"));
        Assert.True(bytes > 0);
        foreach (var port in status.RootElement.GetProperty("ports").EnumerateArray())
        {
            Assert.Equal(0, port.GetProperty("counters").GetProperty("kernelDropped").GetInt64());
            Assert.Equal(0, port.GetProperty("counters").GetProperty("bufferDropped").GetInt64());
        }
    }
}
