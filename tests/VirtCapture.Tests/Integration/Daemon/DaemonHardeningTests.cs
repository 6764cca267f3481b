using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Daemon;

/// <summary>The daemon boots whatever it finds, refuses every bad setting by name, and keeps what the API set.</summary>
public sealed class DaemonHardeningTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _url = FreePort.HttpUrl();

    public void Dispose() => _dir.Dispose();

    private string Captures => _dir.File("captures");

    private Dictionary<string, string> Settings(string backend = "Synthetic") => new()
    {
        ["VIRTCAPTURE_CONFIG_DIR"] = _dir.File("config"),
        ["Capture__Backend"] = backend,
        ["Capture__SyntheticRate"] = "500",
        ["Storage__Directory"] = Captures,
        ["Storage__MinFreePercent"] = "0",
        ["Storage__FsyncIntervalMs"] = "200",
        ["Management__Urls"] = _url,
        ["Management__TokenFile"] = _dir.File("token"),
    };

    private HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = new Uri(_url), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(_dir.File("token")).Trim());
        return client;
    }

    [Fact]
    public async Task Damaged_leftovers_never_keep_the_box_from_booting_and_no_sequence_number_is_used_twice()
    {
        Directory.CreateDirectory(Captures);
        File.WriteAllBytes(Path.Combine(Captures, "vc_000001_20261126100000.pcapng.part"), HostileFiles.InterfaceIdAbove2Pow31());
        var twin = Path.Combine(Captures, "vc_000002_20261126100100.pcapng");
        File.WriteAllBytes(twin, HostileFiles.GoodFramesThenBadOption());
        File.WriteAllBytes(twin + ".part", HostileFiles.GoodFramesThenBadOption());
        File.WriteAllBytes(Path.Combine(Captures, "vc_000007_20261126100200.damaged"), []);
        File.WriteAllBytes(Path.Combine(Captures, "vc_000008_20261126100300.damaged"), [1, 2, 3]);
        var twinBytes = File.ReadAllBytes(twin);

        using var firmware = new FirmwareProcess(Support.Firmware.File, [.. Support.Firmware.Exec, "run"], Settings());
        firmware.WaitFor("Application started");
        firmware.WaitFor("Capture started");
        using var client = Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(twinBytes, File.ReadAllBytes(twin));
        Assert.True(File.Exists(Path.Combine(Captures, "vc_000002_20261126100100.1.pcapng")), "the twin .part was repaired under a new name:\n" + firmware.Output);
        Assert.False(File.Exists(Path.Combine(Captures, "vc_000007_20261126100200.damaged")), "empty leftovers are removed");
        Assert.True(File.Exists(Path.Combine(Captures, "vc_000008_20261126100300.damaged")), "leftovers with bytes in them are kept");
        Assert.DoesNotContain(Directory.GetFiles(Captures, "*.part"), p => !p.Contains("vc_000009_", StringComparison.Ordinal));
        Assert.Contains(Directory.GetFiles(Captures), f => Path.GetFileName(f).StartsWith("vc_000009_", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", firmware.Output, StringComparison.Ordinal);
        firmware.Stop();
        Assert.Equal(0, firmware.ExitCode);
    }

    [Fact]
    public async Task A_hostile_replay_file_is_a_fault_with_its_byte_offset_and_the_box_stays_up()
    {
        var file = _dir.File("hostile.pcapng");
        File.WriteAllBytes(file, HostileFiles.InterfaceIdAbove2Pow31());
        var settings = Settings("Replay");
        settings["Capture__ReplayFile"] = file;
        using var firmware = new FirmwareProcess(Support.Firmware.File, [.. Support.Firmware.Exec, "run"], settings);
        firmware.WaitFor("Application started");
        using var client = Client();
        string fault = string.Empty;
        for (var i = 0; i < 50 && fault.Length == 0; i++)
        {
            await Task.Delay(100);
            using var status = JsonDocument.Parse(await client.GetStringAsync("/api/status"));
            fault = status.RootElement.TryGetProperty("fault", out var f) ? f.GetString() ?? string.Empty : string.Empty;
        }

        Assert.Contains("byte", fault, StringComparison.Ordinal);
        Assert.Contains("interface 2147483648", fault, StringComparison.Ordinal);

        // The same file inside the capture directory: /api/packets reads past it without a 500.
        File.Copy(file, Path.Combine(Captures, "vc_000100_20261126100000.pcapng"));
        using var packets = await client.GetAsync("/api/packets?from=0&to=4000000000");
        Assert.True(packets.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{packets.StatusCode}");
        firmware.Stop();
        Assert.DoesNotContain("   at ", firmware.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_changed_over_the_api_survive_a_restart_and_say_where_they_come_from()
    {
        using (var first = new FirmwareProcess(Support.Firmware.File, [.. Support.Firmware.Exec, "run"], Settings()))
        {
            first.WaitFor("Application started");
            using var client = Client();
            using var put = await client.PutAsync("/api/config", new StringContent("{\"capture\":{\"filter\":\"udp or (vlan and udp)\",\"snaplen\":128},\"storage\":{\"maxFiles\":40}}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            first.Stop();
        }

        using var second = new FirmwareProcess(Support.Firmware.File, [.. Support.Firmware.Exec, "run"], Settings());
        second.WaitFor("Application started");
        using var again = Client();
        using var config = JsonDocument.Parse(await again.GetStringAsync("/api/config"));
        Assert.Equal("udp or (vlan and udp)", config.RootElement.GetProperty("capture").GetProperty("filter").GetString());
        Assert.Equal(128, config.RootElement.GetProperty("capture").GetProperty("snaplen").GetInt32());
        Assert.Equal(40, config.RootElement.GetProperty("storage").GetProperty("maxFiles").GetInt32());
        var sources = config.RootElement.GetProperty("sources");
        Assert.Equal("api", sources.GetProperty("Capture:Filter").GetString());
        Assert.Equal("environment", sources.GetProperty("Storage:MinFreePercent").GetString());
        Assert.Equal("default", sources.GetProperty("Storage:FileDurationSeconds").GetString());
        Assert.Contains("udp or (vlan and udp)", second.Output, StringComparison.Ordinal);
        second.Stop();
    }

    [Fact]
    public void Started_as_a_background_job_with_SIGINT_ignored_the_daemon_stops_cleanly_on_SIGTERM()
    {
        // What `make test &` does to its children: SIGINT ignored. The tests' SIGTERM must still close every file.
        string[] start = [Support.Firmware.File, .. Support.Firmware.Exec];
        var command = string.Join(' ', start.Select(a => $"'{a}'"));
        using var firmware = new FirmwareProcess("bash", ["-c", $"trap '' INT; exec {command} run"], Settings());
        firmware.WaitFor("Application started");
        firmware.WaitFor("Capture started");
        Thread.Sleep(500);
        firmware.Stop();
        Assert.Equal(0, firmware.ExitCode);
        Assert.Contains("Capture stopped", firmware.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Captures, "*.part"));
        Assert.All(Directory.GetFiles(Captures, "*.pcapng"), Tshark.AssertReadsCleanly);
    }

    [Theory]
    [InlineData("--Capture:SyntheticRate=NaN", "Capture:SyntheticRate")]
    [InlineData("--Management:Urls=garbage", "Management:Urls")]
    [InlineData("--Management:Urls=http://127.0.0.1:99999", "Management:Urls")]
    [InlineData("--Management:Urls=", "Management:Urls")]
    [InlineData("--Management:Urls=http://0.0.0.0:18080", "Management:AllowPlainHttp")]
    [InlineData("--Management:MaxRequestBytes=-1", "Management:MaxRequestBytes")]
    [InlineData("--Panel:DebounceMs=-5", "Panel:DebounceMs")]
    [InlineData("--Panel:HoldSeconds=-1", "Panel:HoldSeconds")]
    [InlineData("--Panel:MarkProtectMinutes=-1", "Panel:MarkProtectMinutes")]
    [InlineData("--Vm:IdleSeconds=-1", "Vm:IdleSeconds")]
    [InlineData("--Vm:TargetRetentionHours=-2", "Vm:TargetRetentionHours")]
    [InlineData("--Storage:Directory=/etc/passwd", "Storage:Directory")]
    public void A_setting_that_crashed_the_start_is_one_line_naming_its_key(string setting, string key)
    {
        var result = Firmware.Run(Settings(), "run", setting);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(key, result.ErrorLines.FirstOrDefault() ?? result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr + result.StdOut, StringComparison.Ordinal);
    }
}
