using System.Net.Http.Headers;
using System.Text.Json;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Triggers;

/// <summary>A firmware daemon replaying a file (or on the simulated board's traffic) with triggers configured.</summary>
internal sealed class TriggerBox : IDisposable
{
    private readonly TempDirectory _dir;
    private readonly bool _ownsDirectory;

    public TriggerBox(string? replay, IEnumerable<string> triggers, IDictionary<string, string>? settings = null, TempDirectory? directory = null)
    {
        _ownsDirectory = directory is null;
        _dir = directory ?? new TempDirectory();
        Environment = new Dictionary<string, string>
        {
            ["VIRTCAPTURE_CONFIG_DIR"] = _dir.File("config"),
            ["Capture__Backend"] = replay is null ? "Synthetic" : "Replay",
            ["Capture__ReplayFile"] = replay ?? string.Empty,
            ["Capture__SyntheticRate"] = "2000",
            ["Storage__Directory"] = Captures,
            ["Storage__FileDurationSeconds"] = "60",
            ["Storage__MinFreePercent"] = "0",
            ["Storage__FsyncIntervalMs"] = "200",
            ["Management__Urls"] = Url,
            ["Management__TokenFile"] = _dir.File("token"),
        };
        var i = 0;
        foreach (var trigger in triggers)
        {
            Environment[$"Capture__Triggers__{i++}"] = trigger;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            Environment[key] = value;
        }

        Process = Start();
        Client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(_dir.File("token")).Trim());
    }

    public Dictionary<string, string> Environment { get; }

    public string Url { get; } = FreePort.HttpUrl();

    public string Captures => _dir.File("captures");

    /// <summary>The API token's file.</summary>
    public string TokenFile => _dir.File("token");

    public string Incidents => Path.Combine(Captures, "incidents");

    public FirmwareProcess Process { get; private set; }

    public HttpClient Client { get; }

    /// <summary>Starts the firmware again on the same directories (after a kill).</summary>
    public void Restart()
    {
        Process.Dispose();
        Process = Start();
    }

    /// <summary>GET /api/incidents.</summary>
    public JsonElement[] List()
    {
        using var json = JsonDocument.Parse(Client.GetStringAsync("/api/incidents").GetAwaiter().GetResult());
        return [.. json.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>Waits until <paramref name="count"/> incidents are complete, and returns them, oldest first.</summary>
    public JsonElement[] WaitForComplete(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        JsonElement[] list = [];
        while (DateTime.UtcNow < deadline)
        {
            list = List();
            if (list.Count(i => i.GetProperty("complete").GetBoolean()) >= count)
            {
                return list;
            }

            Thread.Sleep(200);
        }

        Assert.Fail($"{count} incidents should be complete; the box lists {list.Length}: {string.Join(", ", list.Select(i => i.GetRawText()))}\n{Process.Output}");
        return list;
    }

    /// <summary>Downloads an incident over the API into the test directory.</summary>
    public string Download(string name)
    {
        var path = _dir.File(name + ".pcapng");
        using var response = Client.GetAsync($"/api/incidents/{name}").GetAwaiter().GetResult();
        Assert.True(response.IsSuccessStatusCode, $"GET /api/incidents/{name}: {(int)response.StatusCode} {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
        File.WriteAllBytes(path, response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult());
        return path;
    }

    /// <summary>Every ring file merged into one, for tshark to compare against.</summary>
    public string MergedRing()
    {
        var merged = _dir.File($"ring-{Guid.NewGuid():N}.pcapng");
        var files = Directory.GetFiles(Captures, "vc_*.pcapng").Order(StringComparer.Ordinal).ToArray();
        var result = Run.Program("mergecap", ["-w", merged, .. files]);
        Assert.True(result.ExitCode == 0, result.StdErr);
        return merged;
    }

    public void Dispose()
    {
        Client.Dispose();
        Process.Dispose();
        if (_ownsDirectory)
        {
            _dir.Dispose();
        }
    }

    private FirmwareProcess Start()
    {
        var process = new FirmwareProcess(Support.Firmware.File, [.. Support.Firmware.Exec, "run"], Environment);
        process.WaitFor("Application started");
        return process;
    }
}
