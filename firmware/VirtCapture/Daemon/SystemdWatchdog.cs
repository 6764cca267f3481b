using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace VirtCapture.Daemon;

/// <summary>
/// Feeds systemd's watchdog (WatchdogSec in the unit) at half its period while the capture service answers; a hung
/// firmware stops feeding it and systemd restarts it. Does nothing outside systemd.
/// </summary>
internal sealed class SystemdWatchdog : BackgroundService
{
    private readonly ISystemdNotifier? _notifier;
    private readonly CaptureService _capture;

    public SystemdWatchdog(CaptureService capture, ISystemdNotifier? notifier = null)
    {
        _capture = capture;
        _notifier = notifier;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        if (_notifier is not { IsEnabled: true } || !long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds) || microseconds <= 0)
        {
            return;
        }

        var period = TimeSpan.FromMicroseconds(microseconds / 2);
        while (!stoppingToken.IsCancellationRequested)
        {
            // Touching the service's state proves the process is not wedged.
            _ = _capture.Activity;
            _notifier.Notify(new ServiceState("WATCHDOG=1"));
            try
            {
                await Task.Delay(period, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
