namespace VirtCapture.Tests.Integration.Fleet;

/// <summary>A firmware daemon on the simulated board (or replaying a file) that is a member of a fleet.</summary>
internal sealed class FleetBox : IDisposable
{
    private readonly TempDirectory _dir = new();

    public FleetBox(MosquittoBroker broker, string box, string? replay = null, string? credentials = null, string? token = null, params string[] settings)
    {
        TokenFile = token ?? _dir.File("token");
        Name = box;
        var environment = new Dictionary<string, string>
        {
            ["VIRTCAPTURE_CONFIG_DIR"] = _dir.File("config"),
            ["Capture__Backend"] = replay is null ? "Synthetic" : "Replay",
            ["Capture__ReplayFile"] = replay ?? string.Empty,
            ["Storage__Directory"] = _dir.File("captures"),
            ["Storage__FsyncIntervalMs"] = "200",
            ["Management__Urls"] = Url,
            ["Management__TokenFile"] = TokenFile,
            ["Fleet__Broker"] = broker.Url,
            ["Fleet__Site"] = "lab",
            ["Fleet__Box"] = box,
            ["Fleet__KeepAliveSeconds"] = "2",
            ["Fleet__StatusIntervalSeconds"] = "1",
        };
        if (credentials is not null)
        {
            environment["Fleet__CredentialsFile"] = credentials;
        }

        Process = new FirmwareProcess(Support.Firmware.File, [.. Support.Firmware.Exec, "run", .. settings], environment);
    }

    public string Name { get; }

    /// <summary>The API token's file (shared by a fleet's boxes when given).</summary>
    public string TokenFile { get; }

    /// <summary>The box's management API.</summary>
    public string Url { get; } = FreePort.HttpUrl();

    /// <summary>POSTs to the box's API with its token (curl), returning the HTTP status.</summary>
    public int Post(string path, string body)
    {
        var token = File.ReadAllText(TokenFile).Trim();
        var result = Run.Program("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-H", $"Authorization: Bearer {token}", "-H", "Content-Type: application/json", "-d", body, Url + path);
        return int.Parse(result.StdOut.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public FirmwareProcess Process { get; }

    public string Captures => _dir.File("captures");

    public string Topic(string leaf) => $"virtcapture/lab/{Name}/{leaf}";

    public void Dispose()
    {
        Process.Dispose();
        _dir.Dispose();
    }
}
