using System.Text.RegularExpressions;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Management;

/// <summary>The management port over HTTPS with the box's own certificate, recognised by its fingerprint.</summary>
public sealed partial class HttpsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_client_pinned_to_the_printed_fingerprint_connects_and_a_wrong_pin_does_not()
    {
        var port = FreePort.Next();
        var settings = new Dictionary<string, string>
        {
            ["VIRTCAPTURE_CONFIG_DIR"] = _dir.File("config"),
            ["Capture__Backend"] = "Synthetic",
            ["Storage__Directory"] = _dir.File("captures"),
            ["Management__Urls"] = $"https://127.0.0.1:{port}",
            ["Management__TokenFile"] = _dir.File("state/token"),
        };
        using var firmware = new FirmwareProcess(Support.Firmware.File, [.. Support.Firmware.Exec, "run"], settings);
        firmware.WaitFor("Application started");
        var certificate = _dir.File("state/https.pfx");
        Assert.True(File.Exists(certificate), "the certificate is made at first start, beside the token");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(certificate));

        var token = Firmware.Run(settings, "token");
        Assert.Equal(0, token.ExitCode);
        var printed = Fingerprint().Match(token.StdErr);
        Assert.True(printed.Success, token.StdErr);
        Assert.Contains(printed.Groups["sha"].Value, firmware.Output, StringComparison.Ordinal);

        // openssl's view of the certificate the port serves has the same SHA-256 fingerprint.
        var served = Run.Program("bash", "-c", $"openssl s_client -connect 127.0.0.1:{port} </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256");
        Assert.Contains(printed.Groups["sha"].Value, served.StdOut.ToUpperInvariant(), StringComparison.Ordinal);

        var url = $"https://127.0.0.1:{port}/api/status";
        var bearer = $"Authorization: Bearer {token.StdOut.Trim()}";
        var pinned = Run.Program("curl", "-s", "-k", "--pinnedpubkey", printed.Groups["pin"].Value, "-H", bearer, "-o", "/dev/null", "-w", "%{http_code}", url);
        Assert.Equal("200", pinned.StdOut);
        var wrong = Run.Program("curl", "-s", "-k", "--pinnedpubkey", "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "-H", bearer, "-o", "/dev/null", "-w", "%{http_code}", url);
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.NotEqual("200", wrong.StdOut);
        firmware.Stop();
    }

    [GeneratedRegex(@"fingerprint (?<sha>[0-9A-F:]{95}) \(curl --pinnedpubkey (?<pin>sha256//[A-Za-z0-9+/=]+)\)")]
    private static partial Regex Fingerprint();
}
