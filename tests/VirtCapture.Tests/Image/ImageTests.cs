using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Image;

/// <summary>The firmware bundle as a board would get it: built, unpacked, installed into a staging root, started.</summary>
public sealed class ImageTests : IClassFixture<ImageFixture>, IDisposable
{
    private readonly ImageFixture _image;
    private readonly TempDirectory _root = new();

    public ImageTests(ImageFixture image)
    {
        _image = image;
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public void The_bundle_is_a_tarball_with_its_sha256()
    {
        var sum = File.ReadAllText(_image.Tarball + ".sha256").Split(' ')[0];
        var actual = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(_image.Tarball)));
        Assert.Equal(actual, sum);
        var listing = Run.Program("tar", "-tzf", _image.Tarball).StdOut;
        foreach (var part in new[] { "app/virtcapture", "systemd/virtcapture.service", "network/20-vcbr0.netdev", "udev/70-virtcapture-ports.rules", "sysctl/90-virtcapture.conf", "config/appsettings.json", "install.sh", "VERSION" })
        {
            Assert.Contains(part, listing, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_arm64_build_is_a_native_aot_aarch64_elf()
    {
        // Native AOT, the firmware is one 27 MB executable; the ReadyToRun single file it replaced was 65 MB trimmed
        // and 182 MB untrimmed.
        Assert.True(new FileInfo(_image.Arm64Binary).Length < 40_000_000, $"{_image.Arm64Binary} is {new FileInfo(_image.Arm64Binary).Length} bytes: not the Native AOT build");
        var file = Run.Program("file", _image.Arm64Binary).StdOut;
        Assert.Contains("ELF 64-bit", file, StringComparison.Ordinal);
        Assert.Contains("ARM aarch64", file, StringComparison.Ordinal);
    }

    [Fact]
    public void The_unit_files_pass_systemd_analyze_verify()
    {
        Install();
        var units = Path.Combine(_root.Path, "etc/systemd/system");
        // The unit names the installed path; point it at the staged binary so verify can check it is executable.
        var service = Path.Combine(_root.Path, "virtcapture.service");
        File.WriteAllText(service, File.ReadAllText(Path.Combine(units, "virtcapture.service")).Replace("/opt/virtcapture/", Path.Combine(_root.Path, "opt/virtcapture/"), StringComparison.Ordinal));
        var verify = Run.Program("systemd-analyze", "verify", service, Path.Combine(units, "var-lib-virtcapture-captures.mount"));
        Assert.True(verify.ExitCode == 0 && verify.ErrorLines.Length == 0, $"systemd-analyze verify: {verify.StdErr}");
        var unit = File.ReadAllText(Path.Combine(units, "virtcapture.service"));
        Assert.Contains("Type=notify", unit, StringComparison.Ordinal);
        Assert.Contains("CapabilityBoundingSet=CAP_NET_RAW CAP_NET_ADMIN", unit, StringComparison.Ordinal);
        Assert.Contains("ProtectSystem=strict", unit, StringComparison.Ordinal);
    }

    [Fact]
    public void Installing_into_a_staging_root_gives_the_tree_with_private_configuration()
    {
        Install();
        foreach (var path in new[] { "opt/virtcapture/virtcapture", "etc/systemd/network/21-port-a.network", "etc/udev/rules.d/70-virtcapture-ports.rules", "etc/sysctl.d/90-virtcapture.conf", "var/lib/virtcapture/captures" })
        {
            Assert.True(Path.Exists(Path.Combine(_root.Path, path)), $"{path} is missing");
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(Path.Combine(_root.Path, "etc/virtcapture/appsettings.json")));
        Assert.Equal((UnixFileMode)0b111_101_000, File.GetUnixFileMode(Path.Combine(_root.Path, "etc/virtcapture")));
    }

    [Fact]
    public void An_upgrade_keeps_the_configuration_the_token_and_the_captures()
    {
        Install();
        var config = Path.Combine(_root.Path, "etc/virtcapture/appsettings.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"Snaplen\": 262144", "\"Snaplen\": 128", StringComparison.Ordinal));
        var token = Path.Combine(_root.Path, "etc/virtcapture/token");
        File.WriteAllText(token, "0123456789abcdef0123456789abcdef\n");
        File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var capture = Path.Combine(_root.Path, "var/lib/virtcapture/captures/vc_000001_20261125120000.pcapng");
        File.WriteAllText(capture, "a capture from before the upgrade");
        File.Delete(Path.Combine(_root.Path, "opt/virtcapture/virtcapture"));

        Install();

        Assert.Contains("\"Snaplen\": 128", File.ReadAllText(config), StringComparison.Ordinal);
        Assert.Equal("0123456789abcdef0123456789abcdef\n", File.ReadAllText(token));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(token));
        Assert.Equal("a capture from before the upgrade", File.ReadAllText(capture));
        Assert.True(File.Exists(Path.Combine(_root.Path, "opt/virtcapture/virtcapture")), "the application is replaced");
    }

    [RootFact]
    public void The_installed_bundle_starts_in_the_lab_and_answers_health()
    {
        Install();
        using var lab = new LabNetwork();
        var etc = Path.Combine(_root.Path, "etc/virtcapture");
        using var firmware = new FirmwareProcess("ip", ["netns", "exec", $"{lab.Name}-box", Path.Combine(_root.Path, "opt/virtcapture/virtcapture"), "run"], new Dictionary<string, string>
        {
            // The bundle's own configuration, with the lab's port names and the sim panel (the lab has no GPIO).
            ["VIRTCAPTURE_CONFIG_DIR"] = etc,
            ["Capture__Ports__0__Interface"] = "a0",
            ["Capture__Ports__1__Interface"] = "b0",
            ["Storage__Directory"] = Path.Combine(_root.Path, "var/lib/virtcapture/captures"),
            ["Management__Urls"] = $"http://127.0.0.1:{lab.ApiPort}",
            ["Management__TokenFile"] = Path.Combine(etc, "token"),
            ["Panel__Board"] = "sim",
        });
        firmware.WaitFor("Application started");
        Assert.Contains("source AfPacketFrameSource", firmware.Output, StringComparison.Ordinal);
        var health = lab.Exec("box", "curl", "-s", $"http://127.0.0.1:{lab.ApiPort}/health");
        Assert.Equal("{\"status\":\"ok\"}", health.StdOut);
        // The trimmed build serves the whole API (JSON by generated code), not only /health.
        var token = File.ReadAllText(Path.Combine(etc, "token")).Trim();
        var status = lab.Exec("box", "curl", "-s", "-H", $"Authorization: Bearer {token}", $"http://127.0.0.1:{lab.ApiPort}/api/status");
        Assert.Contains("\"state\":\"capturing\"", status.StdOut, StringComparison.Ordinal);
        Assert.Contains("\"backend\":\"AfPacket\"", status.StdOut, StringComparison.Ordinal);
        var page = lab.Exec("box", "curl", "-s", "-H", $"Authorization: Bearer {token}", $"http://127.0.0.1:{lab.ApiPort}/");
        Assert.Contains("<title>VirtCapture</title>", page.StdOut, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(etc, "token")));
        firmware.Stop();
    }

    private void Install()
    {
        var result = Run.Program("bash", [Path.Combine(_image.Bundle, "install.sh")], TimeSpan.FromMinutes(2), new Dictionary<string, string> { ["DESTDIR"] = _root.Path });
        Assert.True(result.ExitCode == 0, $"install.sh failed: {result.StdErr}");
    }
}
