using System.CommandLine;
using Microsoft.Extensions.Configuration;
using VirtCapture.Configuration;
using VirtCapture.Management;

namespace VirtCapture.Cli;

/// <summary><c>virtcapture token</c>: prints the management API's token (creating it on first use).</summary>
internal static class TokenCommand
{
    public static Command Build()
    {
        var command = new Command("token", "Print the management API's bearer token") { TreatUnmatchedTokensAsErrors = false };
        command.SetAction(result =>
        {
            var configuration = new ConfigurationBuilder();
            RunCommand.AddSources(configuration, result.UnmatchedTokens.ToArray());
            var options = configuration.Build().GetSection(ManagementOptions.Section).Get<ManagementOptions>() ?? new ManagementOptions();
            Console.WriteLine(new TokenStore(options.TokenFile).Token);
            return 0;
        });
        return command;
    }
}
