using System.Device.Gpio;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VirtCapture.Configuration;
using VirtCapture.Hal.Gpio;

namespace VirtCapture.Panel;

/// <summary>
/// The simulated board's buttons on the keyboard: a key drives the simulated GPIO line, so the press goes through
/// the real GpioController and GpioButton, debounce and all. Only when the console is a terminal.
/// </summary>
internal sealed class SimulatedPanelKeys : BackgroundService
{
    private readonly SimulatedGpioDriver? _driver;
    private readonly PanelOptions _options;
    private readonly ILogger<SimulatedPanelKeys> _log;

    public SimulatedPanelKeys(GpioDriver driver, IOptions<PanelOptions> options, ILogger<SimulatedPanelKeys> log)
    {
        _driver = driver as SimulatedGpioDriver;
        _options = options.Value;
        _log = log;
    }

    /// <summary>Presses a simulated button: the line goes low for <paramref name="duration"/>, then high again.</summary>
    public static async Task PressAsync(SimulatedGpioDriver driver, BoardLine line, TimeSpan duration, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(line);
        driver.SetInput(line.Line, line.ActiveLow ? PinValue.Low : PinValue.High);
        await Task.Delay(duration, cancel).ConfigureAwait(false);
        driver.SetInput(line.Line, line.ActiveLow ? PinValue.High : PinValue.Low);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_driver is null || Console.IsInputRedirected)
        {
            return Task.CompletedTask;
        }

        var board = BoardDefinition.Load(_options.Board);
        Log.SimulatedKeys(_log);
        return Task.Run(
            async () =>
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (!Console.KeyAvailable)
                    {
                        await Task.Delay(50, stoppingToken).ConfigureAwait(false);
                        continue;
                    }

                    switch (Console.ReadKey(intercept: true).KeyChar)
                    {
                        case 's':
                            await PressAsync(_driver, board.Buttons["START-STOP"], TimeSpan.FromMilliseconds(120), stoppingToken).ConfigureAwait(false);
                            break;
                        case 'h':
                            await PressAsync(_driver, board.Buttons["START-STOP"], TimeSpan.FromSeconds(_options.HoldSeconds + 0.3), stoppingToken).ConfigureAwait(false);
                            break;
                        case 'm':
                            await PressAsync(_driver, board.Buttons["MARK"], TimeSpan.FromMilliseconds(120), stoppingToken).ConfigureAwait(false);
                            break;
                    }
                }
            },
            stoppingToken);
    }
}
