using System.Device.Gpio;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VirtCapture.Configuration;
using VirtCapture.Hal.Gpio;
using VirtCapture.Management;
using VirtCapture.Panel;

namespace VirtCapture.Daemon;

/// <summary>The composition root of the daemon: every service of the box, wired once, here.</summary>
internal static class FirmwareHost
{
    /// <summary>Builds the firmware: configuration, validated options, services, Kestrel and the endpoints.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        var saved = new ApiSettingsFile(Cli.RunCommand.AddSources(builder.Configuration, args));
        builder.Services.AddSingleton(saved);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var management = builder.Configuration.GetSection(ManagementOptions.Section).Get<ManagementOptions>() ?? new ManagementOptions();
        // Checked here, before Kestrel is given the addresses: a bad one is the user's line, not a host crash.
        if (new ManagementOptionsValidator().Validate(null, management) is { Failed: true } invalid)
        {
            throw new OptionsValidationException(ManagementOptions.Section, typeof(ManagementOptions), invalid.Failures);
        }
        builder.WebHost.UseUrls(management.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var certificate = management.Urls.Contains("https://", StringComparison.OrdinalIgnoreCase) ? ServerCertificate.LoadOrCreate(management) : null;
        if (certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        builder.Services.AddSingleton(new ManagementIdentity(certificate is null ? null : ServerCertificate.Describe(certificate)));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (certificate is not null)
            {
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
            }

            kestrel.Limits.MaxRequestBodySize = management.MaxRequestBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.AddServerHeader = false;
        });
        // Under systemd: READY=1 once started, STOPPING=1 on the way down, and the watchdog fed (Type=notify, WatchdogSec).
        builder.Host.UseSystemd();
        builder.Services.AddHostedService<Daemon.SystemdWatchdog>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, Management.Contracts.FirmwareJsonContext.Default));
        // Every timer of the box fires on one thread of its own (the container owns and stops it).
        builder.Services.AddSingleton<TimeProvider>(_ => new TimerThreadTimeProvider());
        // Spelled out per type: the configuration-binding generator only sees concrete Bind calls.
        builder.Services.AddOptions<CaptureOptions>().Bind(builder.Configuration.GetSection(CaptureOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CaptureOptions>, CaptureOptionsValidator>();
        builder.Services.AddOptions<StorageOptions>().Bind(builder.Configuration.GetSection(StorageOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        builder.Services.AddOptions<PanelOptions>().Bind(builder.Configuration.GetSection(PanelOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PanelOptions>, PanelOptionsValidator>();
        builder.Services.AddOptions<ManagementOptions>().Bind(builder.Configuration.GetSection(ManagementOptions.Section));
        builder.Services.AddSingleton<Storage.DiskSpace>();
        builder.Services.AddSingleton<CaptureService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CaptureService>());
        builder.Services.AddSingleton(sp => CreateGpioDriver(BoardDefinition.Load(sp.GetRequiredService<IOptions<PanelOptions>>().Value.Board)));
        builder.Services.AddSingleton<FrontPanel>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FrontPanel>());
        builder.Services.AddHostedService<SimulatedPanelKeys>();
        builder.Services.AddSingleton(sp => new TokenStore(sp.GetRequiredService<IOptions<ManagementOptions>>().Value.TokenFile));
        builder.Services.AddSingleton<FailedLogins>();
        builder.Services.AddSingleton<CaptureCatalog>();
        builder.Services.AddHostedService<CatalogUpkeep>();
        builder.Services.AddSingleton<MetricsExporter>();
        builder.Services.AddSingleton<Management.Live.LiveSampler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Management.Live.LiveSampler>());
        builder.Services.AddOptions<Vm.VmOptions>().Bind(builder.Configuration.GetSection(Vm.VmOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<Vm.VmOptions>, Vm.VmOptionsValidator>();
        builder.Services.AddSingleton<Vm.VmObserver>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Vm.VmObserver>());
        builder.Services.AddOptions<Fleet.FleetOptions>().Bind(builder.Configuration.GetSection(Fleet.FleetOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<Fleet.FleetOptions>, Fleet.FleetOptionsValidator>();
        builder.Services.AddSingleton<Fleet.FleetService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Fleet.FleetService>());
        builder.Services.AddSingleton<Triggers.IncidentRecorder>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Triggers.IncidentRecorder>());
        builder.Services.AddHostedService<Triggers.StopWatcher>();
        builder.Services.AddOpenApi();
        var app = builder.Build();
        app.UseTokenAuthentication(app.Services.GetRequiredService<TokenStore>(), app.Services.GetRequiredService<FailedLogins>());
        app.MapManagement();
        return app;
    }

    private static GpioDriver CreateGpioDriver(BoardDefinition board)
    {
        if (board.Driver.Equals("simulated", StringComparison.OrdinalIgnoreCase))
        {
            return new SimulatedGpioDriver();
        }

        var chip = board.Leds.Values.Concat(board.Buttons.Values).First().Chip;
        try
        {
            return new System.Device.Gpio.Drivers.LibGpiodDriver(chip);
        }
        catch (Exception e) when (e is DllNotFoundException or PlatformNotSupportedException or IOException)
        {
            throw new UserErrorException($"board {board.Name}: cannot open gpiochip{chip} with libgpiod ({e.Message}); install libgpiod2, or use Panel:Board=sim", e);
        }
    }
}
