using System.CommandLine;
using Microsoft.Extensions.Configuration;
using VirtCapture.Configuration;

namespace VirtCapture.Cli;

/// <summary>
/// <c>virtcapture token</c>: prints the management API's bearer token from the file the firmware created at its
/// first start. It never creates one: a token made here would not be the running box's.
/// </summary>
internal static class TokenCommand
{
    public static Command Build()
    {
        var command = new Command("token", "Print the management API's bearer token (and the HTTPS certificate's fingerprint)") { TreatUnmatchedTokensAsErrors = false };
        command.SetAction(result =>
        {
            var configuration = new ConfigurationBuilder();
            RunCommand.AddSources(configuration, result.UnmatchedTokens.ToArray());
            var options = configuration.Build().GetSection(ManagementOptions.Section).Get<ManagementOptions>() ?? new ManagementOptions();
            var path = Path.GetFullPath(options.TokenFile);
            var hint = $"the configuration read is {Path.Combine(RunCommand.ConfigDir, "appsettings.json")}; point at another with {RunCommand.ConfigDirVariable}=DIR or --Management:TokenFile=PATH";
            string token;
            try
            {
                token = File.ReadAllText(path).Trim();
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new UserErrorException($"{path}: no token there; the firmware creates it at its first start ({hint})");
            }
            catch (UnauthorizedAccessException)
            {
                throw new UserErrorException($"{path}: permission denied; the token is readable by root only (sudo virtcapture token), {hint}");
            }

            Console.WriteLine(token);
            Console.Error.WriteLine($"virtcapture: token read from {path}");
            if (Management.ServerCertificate.Fingerprint(options) is { } fingerprint)
            {
                Console.Error.WriteLine($"virtcapture: HTTPS certificate SHA-256 fingerprint {fingerprint}");
            }

            return 0;
        });
        return command;
    }
}
