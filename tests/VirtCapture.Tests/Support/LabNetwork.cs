namespace VirtCapture.Tests.Support;

/// <summary>
/// The lab of hardware/lab/lab.sh, one per test class: NAME-host ─ a0 │ box │ b0 ─ NAME-switch, in network
/// namespaces of our own. Needs root, as CI has.
/// </summary>
public sealed class LabNetwork : IDisposable
{
    private static int _counter;
    private static readonly string Script = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../hardware/lab/lab.sh"));

    public LabNetwork()
    {
        Assert.True(Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root" || geteuid() == 0, "the lab tests need root (network namespaces); CI runs them as root");
        Name = $"vct{Environment.ProcessId % 100000}x{Interlocked.Increment(ref _counter)}";
        var up = Run.Program("bash", Script, "up", Name);
        Assert.True(up.ExitCode == 0, $"lab up failed: {up.StdErr}");
        Captures = Directory.CreateTempSubdirectory("vc-lab-").FullName;
    }

    public string Name { get; }

    public string Captures { get; }

    public string TokenFile => Captures + ".token";

    /// <summary>
    /// The management port inside the box namespace: a free one, picked like every other test's, so nothing depends on
    /// the namespace being the only listener.
    /// </summary>
    public int ApiPort { get; } = FreePort.Next();

    /// <summary>curl inside the box namespace, to the management endpoint on 127.0.0.1:<see cref="ApiPort"/>.</summary>
    public string Api(string method, string path, string? body = null)
    {
        var token = File.ReadAllText(TokenFile).Trim();
        string[] args = ["curl", "-s", "-X", method, "-H", $"Authorization: Bearer {token}", "-H", "Content-Type: application/json", .. body is null ? Array.Empty<string>() : ["-d", body], $"http://127.0.0.1:{ApiPort}{path}"];
        var result = Exec("box", args);
        Assert.True(result.ExitCode == 0, $"curl {path} failed: {result.StdErr}");
        return result.StdOut;
    }

    /// <summary>curl inside the box namespace: a GET's body into <paramref name="file"/> (a pcapng download).</summary>
    public void Download(string path, string file)
    {
        var token = File.ReadAllText(TokenFile).Trim();
        var result = Exec("box", "curl", "-s", "-f", "-o", file, "-H", $"Authorization: Bearer {token}", $"http://127.0.0.1:{ApiPort}{path}");
        Assert.True(result.ExitCode == 0, $"curl {path} failed ({result.ExitCode}): {result.StdErr}");
    }

    public ProcessResult Exec(string role, params string[] command) =>
        Run.Program("ip", ["netns", "exec", $"{Name}-{role}", .. command], TimeSpan.FromMinutes(2));

    /// <summary>trafgen from the host (port A's side) or the switch (port B's side): exactly <paramref name="frames"/> frames.</summary>
    public void Send(string role, string config, int frames, string gap = "1ms")
    {
        var device = role == "host" ? "host0" : "sw0";
        var conf = Path.Combine(Path.GetTempPath(), $"{Name}-{Guid.NewGuid():N}.cfg");
        File.WriteAllText(conf, config);
        try
        {
            var result = Exec(role, "trafgen", "--dev", device, "--conf", conf, "--num", frames.ToString(System.Globalization.CultureInfo.InvariantCulture), "--gap", gap, "--cpus", "1");
            Assert.True(result.ExitCode == 0, $"trafgen failed: {result.StdErr}");
        }
        finally
        {
            File.Delete(conf);
        }
    }

    public FirmwareProcess StartFirmware(string backend = "AfPacket", params string[] settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["VIRTCAPTURE_CONFIG_DIR"] = Path.GetDirectoryName(Script)!,
            ["Capture__Backend"] = backend,
            ["Storage__Directory"] = Captures,
            ["Storage__FsyncIntervalMs"] = "200",
            ["Storage__MinFreePercent"] = "0",
            ["Management__TokenFile"] = TokenFile,
            ["Management__ApiSettingsFile"] = Captures + ".api-settings.json",
            ["Management__Urls"] = $"http://127.0.0.1:{ApiPort}",
        };
        return new FirmwareProcess("ip", ["netns", "exec", $"{Name}-box", Support.Firmware.File, .. Support.Firmware.Exec, "run", .. settings], environment);
    }

    public string[] Files() => Directory.GetFiles(Captures, "*.pcapng").Order(StringComparer.Ordinal).ToArray();

    public void Dispose()
    {
        Run.Program("bash", Script, "down", Name);
        try
        {
            File.Delete(TokenFile);
            File.Delete(Captures + ".api-settings.json");
            Directory.Delete(Captures, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern uint geteuid();
}
