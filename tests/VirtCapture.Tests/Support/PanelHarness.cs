using System.Device.Gpio;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VirtCapture.Configuration;
using VirtCapture.Daemon;
using VirtCapture.Hal.Gpio;
using VirtCapture.Panel;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Support;

/// <summary>The capture service and the front panel on the simulated board's GPIO, in this process.</summary>
internal sealed class PanelHarness : IDisposable
{
    private readonly TempDirectory _dir = new();

    public PanelHarness(Func<CaptureOptions, CaptureOptions>? capture = null, Func<StorageOptions, StorageOptions>? storage = null, VirtCapture.Storage.DiskSpace? probe = null)
    {
        var captureOptions = new CaptureOptions { Backend = "Synthetic", SyntheticRate = 2000, BufferMB = 8 };
        captureOptions = capture?.Invoke(captureOptions) ?? captureOptions;
        var storageOptions = new StorageOptions { Directory = _dir.Path, MinFreePercent = 0, FsyncIntervalMs = 200 };
        storageOptions = storage?.Invoke(storageOptions) ?? storageOptions;
        var panelOptions = Options.Create(new PanelOptions { Board = "sim", DebounceMs = 30, HoldSeconds = 3 });
        Service = new CaptureService(Options.Create(captureOptions), Options.Create(storageOptions), panelOptions, probe ?? new VirtCapture.Storage.DiskSpace(), TimeProvider.System, NullLogger<CaptureService>.Instance);
        Panel = new FrontPanel(Service, panelOptions, Driver, TimeProvider.System, NullLogger<FrontPanel>.Instance);
        Service.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        Panel.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        Panel.ButtonHandled += action => Actions.Add(action);
    }

    public SimulatedGpioDriver Driver { get; } = new();

    public CaptureService Service { get; }

    public FrontPanel Panel { get; }

    public System.Collections.Concurrent.ConcurrentBag<string> Actions { get; } = [];

    public string Directory => _dir.Path;

    public BoardDefinition Board => Panel.Board;

    public PinValue Line(Led led) => Driver.Value(Board.Leds[BoardDefinition.NameOf(led)].Line);

    public LedPattern Pattern(Led led) => Panel.Patterns.Count > 0 ? Panel.Patterns[(int)led] : LedPattern.Off;

    public void WaitFor(Func<bool> condition, string what, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"timed out waiting for {what}");
            }

            Thread.Sleep(20);
        }
    }

    public Task Press(string button, TimeSpan duration) => SimulatedPanelKeys.PressAsync(Driver, Board.Buttons[button], duration);

    public void Dispose()
    {
        Panel.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        Service.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        Panel.Dispose();
        Service.Dispose();
        _dir.Dispose();
    }
}
