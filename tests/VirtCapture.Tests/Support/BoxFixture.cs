using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Support;

/// <summary>The real firmware with real Kestrel on a loopback port, capturing the simulated board's traffic.</summary>
public class BoxFixture : IDisposable
{
    private readonly TempDirectory _dir = new();

    public BoxFixture()
        : this(3000)
    {
    }

    protected BoxFixture(int framesPerSecond, IDictionary<string, string>? settings = null)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
        var environment = new Dictionary<string, string>
        {
            ["VIRTCAPTURE_CONFIG_DIR"] = _dir.File("config"),
            ["Capture__Backend"] = "Synthetic",
            ["Capture__SyntheticRate"] = framesPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Storage__Directory"] = Captures,
            ["Storage__FileDurationSeconds"] = "1",
            ["Storage__MinFreePercent"] = "0",
            ["Storage__FsyncIntervalMs"] = "200",
            ["Management__Urls"] = BaseAddress.ToString().TrimEnd('/'),
            ["Management__TokenFile"] = _dir.File("token"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        Environment = environment;
        Firmware = new FirmwareProcess(Support.Firmware.File, [.. Support.Firmware.Exec, "run"], environment);
        Firmware.WaitFor("Capture started");
        Firmware.WaitFor("Application started"); // Kestrel listens only after the hosted services started
        Token = File.ReadAllText(_dir.File("token")).Trim();
        Client = Create(Token);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (System.IO.Directory.GetFiles(Captures, "*.pcapng").Length < 3 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
        }
    }

    public int Port { get; }

    /// <summary>The firmware's environment (its settings), to start it again the same way.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public string Directory => _dir.Path;

    public Uri BaseAddress { get; }

    public string Token { get; }

    public string Captures => _dir.File("captures");

    public FirmwareProcess Firmware { get; }

    public HttpClient Client { get; }

    public HttpClient Create(string? token, bool decompress = false)
    {
        var client = new HttpClient(new HttpClientHandler { AutomaticDecompression = decompress ? DecompressionMethods.GZip : DecompressionMethods.None }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        Client.Dispose();
        Firmware.Stop();
        Firmware.Dispose();
        _dir.Dispose();
    }
}
