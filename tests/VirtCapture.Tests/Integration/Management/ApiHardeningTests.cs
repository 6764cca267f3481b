using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Management;

/// <summary>A token holder reaches only the capture directory; hostile requests get a 4xx and leave no trace.</summary>
public sealed class ApiHardeningTests : IClassFixture<HardenedBoxFixture>
{
    private readonly HardenedBoxFixture _box;

    public ApiHardeningTests(HardenedBoxFixture box)
    {
        _box = box;
    }

    [Theory]
    [InlineData("{\"storage\":{\"directory\":\"/etc\"}}", "storage.directory")]
    [InlineData("{\"capture\":{\"backend\":\"Replay\",\"replayFile\":\"/etc/shadow\"}}", "capture.backend")]
    [InlineData("{\"capture\":{\"replayFile\":\"/etc/shadow\"}}", "capture.replayFile")]
    [InlineData("{\"capture\":{\"ports\":[{\"name\":\"A\",\"interface\":\"eth0\"}]}}", "capture.ports")]
    [InlineData("{\"storage\":{\"fsyncIntervalMs\":10}}", "storage.fsyncIntervalMs")]
    public async Task Settings_set_where_the_box_is_installed_are_refused_with_the_key_named(string body, string key)
    {
        var before = await _box.Client.GetStringAsync("/api/config");
        using var response = await _box.Client.PutAsync("/api/config", Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(key, text, StringComparison.Ordinal);
        Assert.Contains("installed", text, StringComparison.Ordinal);
        using var config = JsonDocument.Parse(await _box.Client.GetStringAsync("/api/config"));
        Assert.Equal(_box.Captures, config.RootElement.GetProperty("storage").GetProperty("directory").GetString());
        Assert.Equal("Synthetic", config.RootElement.GetProperty("capture").GetProperty("backend").GetString());
        Assert.Equal(JsonDocument.Parse(before).RootElement.GetProperty("capture").GetRawText(), config.RootElement.GetProperty("capture").GetRawText());
    }

    [Fact]
    public async Task A_symlink_a_fifo_and_a_name_with_a_newline_reach_nothing_outside_and_hang_nothing()
    {
        var link = Path.Combine(_box.Captures, "evil.pcapng");
        File.CreateSymbolicLink(link, "/etc/passwd");
        var fifo = Path.Combine(_box.Captures, "stuck.pcapng");
        Assert.Equal(0, Run.Program("mkfifo", fifo).ExitCode);
        try
        {
            using var download = await _box.Client.GetAsync("/api/captures/evil.pcapng");
            Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
            Assert.DoesNotContain("root:", await download.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var deleted = await _box.Client.DeleteAsync("/api/captures/evil.pcapng");
            Assert.Equal(HttpStatusCode.NotFound, deleted.StatusCode);
            Assert.True(File.Exists("/etc/passwd"));

            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            using var status = await _box.Client.GetAsync("/api/status", quick.Token);
            Assert.Equal(HttpStatusCode.OK, status.StatusCode);
            using var list = await _box.Client.GetAsync("/api/captures", quick.Token);
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            var names = await list.Content.ReadAsStringAsync(quick.Token);
            Assert.DoesNotContain("evil.pcapng", names, StringComparison.Ordinal);
            Assert.DoesNotContain("stuck.pcapng", names, StringComparison.Ordinal);
            using var fifoDownload = await _box.Client.GetAsync("/api/captures/stuck.pcapng", quick.Token);
            Assert.Equal(HttpStatusCode.NotFound, fifoDownload.StatusCode);

            var real = Path.GetFileName(Directory.GetFiles(_box.Captures, "vc_*.pcapng")[0]);
            using var newline = await _box.Client.GetAsync($"/api/captures/{real}%0A");
            Assert.Equal(HttpStatusCode.BadRequest, newline.StatusCode);
        }
        finally
        {
            File.Delete(link);
            File.Delete(fifo);
        }
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"str\"")]
    [InlineData("{\"capture\":null}")]
    [InlineData("{\"capture\":[]}")]
    [InlineData("{\"capture\":5}")]
    [InlineData("{\"capture\":{\"ports\":null}}")]
    [InlineData("{\"capture\":{\"filter\":null}}")]
    [InlineData("{\"capture\":{\"snaplen\":\"big\"}}")]
    [InlineData("{\"capture\":{\"vms\":[null]}}")]
    [InlineData("{\"storage\":{\"maxFiles\":1.5}}")]
    public async Task Malformed_configuration_is_a_400_with_a_reason_and_the_settings_stay_whole(string body)
    {
        using var response = await _box.Client.PutAsync("/api/config", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrWhiteSpace(error.RootElement.GetProperty("error").GetString()));
        using var config = await _box.Client.GetAsync("/api/config");
        Assert.Equal(HttpStatusCode.OK, config.StatusCode);
        using var document = JsonDocument.Parse(await config.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.String, document.RootElement.GetProperty("capture").GetProperty("filter").ValueKind);
        Assert.DoesNotContain("   at ", _box.Firmware.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_start_login_and_packet_requests_are_4xx_and_leave_the_log_alone()
    {
        using (var nullVm = await _box.Client.PostAsync("/api/capture/start", Json("{\"vms\":[null]}")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, nullVm.StatusCode);
        }

        using (var text = await _box.Client.PostAsync("/api/capture/start", new StringContent("filter=arp", Encoding.UTF8, "text/plain")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, text.StatusCode);
        }

        using (var overflow = await _box.Client.GetAsync("/api/packets?from=0&to=99999999999"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, overflow.StatusCode);
        }

        var logBefore = _box.Firmware.Output.Length;
        using var anonymous = _box.Create(null);
        for (var i = 0; i < 50; i++)
        {
            using var login = await anonymous.PostAsync("/login", new StringContent(string.Empty));
            Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        }

        Assert.True(_box.Firmware.Output.Length - logBefore < 2000, $"50 empty logins added {_box.Firmware.Output.Length - logBefore} characters to the log");
        Assert.DoesNotContain("   at ", _box.Firmware.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", _box.Firmware.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_start_with_a_new_filter_while_capturing_records_that_filter_in_a_new_file()
    {
        using var start = await _box.Client.PostAsync("/api/capture/start", Json("{\"filter\":\"arp or (vlan and arp)\",\"snaplen\":64}"));
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        using var status = JsonDocument.Parse(await _box.Client.GetStringAsync("/api/status"));
        var current = status.RootElement.GetProperty("currentFile").GetString();
        Assert.NotNull(current);
        await Task.Delay(2500);
        using var stop = await _box.Client.PostAsync("/api/capture/stop", null);
        var file = Path.Combine(_box.Captures, current!.Replace(".part", string.Empty, StringComparison.Ordinal));
        Assert.True(File.Exists(file), $"{file} was closed");
        var lengths = Tshark.Fields(file, null, "frame.cap_len", "frame.protocols");
        Assert.NotEmpty(lengths);
        Assert.All(lengths, l => Assert.True(int.Parse(l.Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture) <= 64, l));
        Assert.All(lengths, l => Assert.Contains("arp", l, StringComparison.Ordinal));

        // Saved for the next start, and said so.
        using var config = JsonDocument.Parse(await _box.Client.GetStringAsync("/api/config"));
        Assert.Equal("api", config.RootElement.GetProperty("sources").GetProperty("Capture:Filter").GetString());
        var saved = File.ReadAllText(config.RootElement.GetProperty("savedTo").GetString()!);
        Assert.Contains("arp or (vlan and arp)", saved, StringComparison.Ordinal);
        using var restart = await _box.Client.PostAsync("/api/capture/start", Json("{\"filter\":\"\",\"snaplen\":262144}"));
        Assert.Equal(HttpStatusCode.OK, restart.StatusCode);
    }

    [Fact]
    public async Task The_bearer_scheme_is_case_insensitive()
    {
        using var client = _box.Create(null);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "bearer " + _box.Token);
        using var response = await client.GetAsync("/api/status");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
}
