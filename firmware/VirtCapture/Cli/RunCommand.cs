using System.CommandLine;
using System.Device.Gpio;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VirtCapture.Configuration;
using VirtCapture.Daemon;
using VirtCapture.Hal.Gpio;
using VirtCapture.Management;
using VirtCapture.Panel;

namespace VirtCapture.Cli;

/// <summary><c>virtcapture run</c> (or no command): the firmware daemon.</summary>
internal static class RunCommand
{
    /// <summary>Environment variable naming the configuration directory.</summary>
    public const string ConfigDirVariable = "VIRTCAPTURE_CONFIG_DIR";

    /// <summary>The configuration directory every command reads: $VIRTCAPTURE_CONFIG_DIR, or /etc/virtcapture.</summary>
    public static string ConfigDir => Environment.GetEnvironmentVariable(ConfigDirVariable) ?? "/etc/virtcapture";

    public static Command Build()
    {
        var command = new Command("run", "Run the firmware (configuration: appsettings.json in the config directory, Section__Key variables, --Section:Key=value)")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction((result, _) => RunAsync(result.UnmatchedTokens.ToArray()));
        return command;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        await using var app = Daemon.FirmwareHost.Build(args);

        // Validate before the host starts: a bad setting is the user's one-line error, not a logged host failure.
        _ = app.Services.GetRequiredService<IOptions<CaptureOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<PanelOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<ManagementOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<Vm.VmOptions>>().Value;
        _ = Fleet.FleetCredentials.Read(app.Services.GetRequiredService<IOptions<Fleet.FleetOptions>>().Value.CredentialsFile);
        _ = app.Services.GetRequiredService<GpioDriver>();
        _ = app.Services.GetRequiredService<TokenStore>();
        _ = app.Services.GetRequiredService<Vm.VmObserver>();
        if (app.Services.GetRequiredService<ManagementIdentity>().CertificateFingerprint is { } fingerprint)
        {
            Log.HttpsCertificate(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("VirtCapture.Management"), fingerprint);
        }

        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        try
        {
            await app.StartAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // SIGTERM during the start: what did start (the capture first) is still stopped below, files closed.
        }

        await app.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        return 0;
    }

    /// <summary>The configuration every command reads: defaults, the config directory, environment, command line.</summary>
    /// <returns>The file that keeps the settings changed over the API.</returns>
    internal static string AddSources(IConfigurationBuilder configuration, string[] args)
    {
        var configDir = ConfigDir;
        configuration
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false)
            .AddJsonFile(Path.GetFullPath(Path.Combine(configDir, "appsettings.json")), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .AddCommandLine(args);
        return ApiSettingsFile.AddTo(configuration, configDir);
    }
}
