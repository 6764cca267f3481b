using Microsoft.Extensions.Options;

namespace VirtCapture.Configuration;

/// <summary>Checks the <c>Management</c> section before Kestrel is configured with it.</summary>
internal sealed class ManagementOptionsValidator : IValidateOptions<ManagementOptions>
{
    public ValidateOptionsResult Validate(string? name, ManagementOptions options)
    {
        var failures = new List<string>();
        var urls = options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length == 0)
        {
            failures.Add("Management:Urls must name at least one address, such as https://192.168.77.1:8443 (an empty list would listen on localhost:5000)");
        }

        foreach (var url in urls)
        {
            // Kestrel's wildcard hosts (*, +) are not valid URI hosts: check them as a plain host.
            var checkable = url.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal);
            if (!Uri.TryCreate(checkable, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
            {
                failures.Add($"Management:Urls: '{url}' is not an address to listen on (http://ADDRESS:PORT or https://ADDRESS:PORT, port 1-65535)");
            }
            else if (uri.Scheme == "http" && !options.AllowPlainHttp && !IsLoopback(uri))
            {
                failures.Add($"Management:Urls: '{url}' would send the token and the captures in clear: use https://, or set Management:AllowPlainHttp=true");
            }
        }

        if (options.MaxRequestBytes is < 1024 or > 64 << 20)
        {
            failures.Add($"Management:MaxRequestBytes must be between 1024 and {64 << 20}, got {options.MaxRequestBytes}");
        }

        if (options.MaxLiveClients is < 1 or > 100)
        {
            failures.Add($"Management:MaxLiveClients must be between 1 and 100, got {options.MaxLiveClients}");
        }

        if (options.LiveIntervalMs is < 50 or > 60_000)
        {
            failures.Add($"Management:LiveIntervalMs must be between 50 and 60000 milliseconds, got {options.LiveIntervalMs}");
        }

        if (string.IsNullOrWhiteSpace(options.TokenFile))
        {
            failures.Add("Management:TokenFile must name the token's file");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsLoopback(Uri uri) => uri.IsLoopback || (System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
}
