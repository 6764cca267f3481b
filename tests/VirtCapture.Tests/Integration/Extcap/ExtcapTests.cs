using System.Globalization;
using VirtCapture.Tests.Integration.Triggers;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Extcap;

/// <summary>
/// The box in Wireshark's interface list, with Wireshark's own tshark as the client: the extcap installed into a
/// temporary HOME, the firmware on the simulated board. What tshark writes is compared with what the box stored.
/// </summary>
public sealed class ExtcapTests : IDisposable
{
    private readonly ExtcapLaptop _home = new();
    private readonly TriggerBox _box = new(null, [], new Dictionary<string, string> { ["Capture__SyntheticRate"] = "500" });

    public ExtcapTests()
    {
        Extcap("--add-box", _box.Url, "--token-file", _box.TokenFile, "--name", "lab");
        var install = Extcap("--install");
        Assert.Contains(Path.Combine(_home.Path, ".config", "wireshark", "extcap", "virtcapture"), install.StdOut, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _box.Dispose();
        _home.Dispose();
    }

    [Fact]
    public void Tshark_lists_the_box_and_captures_from_it_with_the_filter_applied_on_the_box()
    {
        var list = Tshark("-D");
        Assert.Contains("vc-lab (VirtCapture lab: all ports)", list.StdOut, StringComparison.Ordinal);
        Assert.Contains("vc-lab~A (VirtCapture lab: ", list.StdOut, StringComparison.Ordinal);
        Assert.Contains("vc-lab~B (VirtCapture lab: ", list.StdOut, StringComparison.Ordinal);

        var output = _home.File("udp.pcapng");
        var capture = Tshark("-i", "vc-lab", "-f", "udp", "-a", "packets:200", "-w", output);
        Assert.True(capture.ExitCode == 0, capture.StdErr);
        Assert.Equal(200, global::VirtCapture.Tests.Support.Tshark.Count(output));
        Assert.Equal(0, global::VirtCapture.Tests.Support.Tshark.Count(output, "not udp"));

        // The same span from the box's ring, through the same filter: the same frames.
        var times = global::VirtCapture.Tests.Support.Tshark.Fields(output, null, "frame.time_epoch");
        Thread.Sleep(2500);
        var stored = Window(times[0], times[^1], "udp");
        Assert.Equal(global::VirtCapture.Tests.Support.Tshark.Fields(stored, null, "frame.time_epoch", "frame.len", "eth.src"),
            global::VirtCapture.Tests.Support.Tshark.Fields(output, null, "frame.time_epoch", "frame.len", "eth.src"));
    }

    [Fact]
    public void Starting_in_the_past_gives_the_ring_then_live_with_no_gap_and_no_duplicate()
    {
        Thread.Sleep(3000);
        var start = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var output = _home.File("history.pcapng");
        var capture = Tshark("-i", "vc-lab", "-o", $"extcap.vc_lab.startfrom:{start}", "-f", "tcp", "-a", "duration:8", "-w", output);
        Assert.True(capture.ExitCode == 0, capture.StdErr);
        var frames = global::VirtCapture.Tests.Support.Tshark.Fields(output, null, "frame.time_epoch", "frame.len", "eth.src");
        Thread.Sleep(2500);
        var times = global::VirtCapture.Tests.Support.Tshark.Fields(output, null, "frame.time_epoch");
        var stored = Window(start, times[^1], "tcp");
        var ring = global::VirtCapture.Tests.Support.Tshark.Fields(stored, null, "frame.time_epoch", "frame.len", "eth.src");
        // The box ran ~3 s before the capture: its first frames are history, the rest live; together, the ring's.
        Assert.True(ring.Length > 300, $"expected the ring's TCP frames since the box started, got {ring.Length}");
        Assert.Equal(ring, frames);
        Assert.Equal(frames.Length, frames.Distinct().Count());
    }

    [Fact]
    public async Task The_options_offer_the_boxs_vms_and_a_vm_picked_is_all_that_is_captured()
    {
        Assert.Equal("dlt {number=1}{name=EN10MB}{display=Ethernet}", Extcap("--extcap-interface", "vc-lab", "--extcap-dlts").StdOut.Trim());
        Thread.Sleep(2000);
        var config = Extcap("--extcap-interface", "vc-lab", "--extcap-config").StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(config, l => l.StartsWith("arg {number=0}{call=--start-from}{display=Start from}{type=timestamp}", StringComparison.Ordinal));
        Assert.Contains(config, l => l.StartsWith("arg {number=3}{call=--token}{display=API token}{type=password}", StringComparison.Ordinal));
        var vms = config.Where(l => l.StartsWith("value {arg=1}{value=", StringComparison.Ordinal)).ToArray();
        using (var listed = System.Text.Json.JsonDocument.Parse(await _box.Client.GetStringAsync("/api/vms")))
        {
            Assert.Equal(listed.RootElement.GetArrayLength(), vms.Length);
        }

        var mac = vms.Select(v => v["value {arg=1}{value=".Length..].Split('}')[0]).First(m => m.StartsWith("00:50:56", StringComparison.Ordinal));
        var output = _home.File("vm.pcapng");
        var capture = Tshark("-i", "vc-lab", "-o", $"extcap.vc_lab.vms:{mac}", "-a", "packets:50", "-w", output);
        Assert.True(capture.ExitCode == 0, capture.StdErr);
        Assert.Equal(50, global::VirtCapture.Tests.Support.Tshark.Count(output));
        Assert.Equal(0, global::VirtCapture.Tests.Support.Tshark.Count(output, $"not eth.addr == {mac}"));
    }

    [Fact]
    public void The_launcher_answers_the_interface_list_from_the_cache_until_a_box_is_added()
    {
        var launcher = Path.Combine(_home.Path, ".config", "wireshark", "extcap", "virtcapture");
        var first = Run.Program(launcher, ["--extcap-interfaces", "--extcap-version=4.0"], TimeSpan.FromSeconds(60), Environment());
        Assert.True(first.ExitCode == 0, first.StdErr);
        Assert.StartsWith("extcap {version=", first.StdOut, StringComparison.Ordinal);
        Assert.Contains("interface {value=vc-lab~A}", first.StdOut, StringComparison.Ordinal);

        // Served by the shell from the cache: what the cache says is what Wireshark gets.
        var cache = Path.Combine(_home.Path, ".cache", "virtcapture", "extcap-interfaces.txt");
        File.AppendAllText(cache, "interface {value=vc-marker}{display=from the cache}\n");
        Assert.Contains("vc-marker", Run.Program(launcher, ["--extcap-interfaces"], TimeSpan.FromSeconds(60), Environment()).StdOut, StringComparison.Ordinal);

        // A box added makes the cache stale: the next answer is asked of the boxes again.
        Extcap("--add-box", _box.Url, "--token-file", _box.TokenFile, "--name", "lab2");
        var fresh = Run.Program(launcher, ["--extcap-interfaces"], TimeSpan.FromSeconds(60), Environment()).StdOut;
        Assert.DoesNotContain("vc-marker", fresh, StringComparison.Ordinal);
        Assert.Contains("interface {value=vc-lab2~B}", fresh, StringComparison.Ordinal);
    }

    [Fact]
    public void An_https_box_is_trusted_by_its_pinned_fingerprint_and_another_certificate_is_refused_in_one_line()
    {
        var port = FreePort.Next();
        var settings = new Dictionary<string, string>
        {
            ["VIRTCAPTURE_CONFIG_DIR"] = _home.File("secure-config"),
            ["Capture__Backend"] = "Synthetic",
            ["Capture__SyntheticRate"] = "500",
            ["Storage__Directory"] = _home.File("secure-captures"),
            ["Management__Urls"] = $"https://127.0.0.1:{port}",
            ["Management__TokenFile"] = _home.File("secure-state/token"),
        };
        using var firmware = new FirmwareProcess(Support.Firmware.File, [.. Support.Firmware.Exec, "run"], settings);
        firmware.WaitFor("Application started");
        var sha = System.Text.RegularExpressions.Regex.Match(firmware.Output, "fingerprint (?<sha>[0-9A-F:]{95})").Groups["sha"].Value;
        Assert.Equal(95, sha.Length);
        Extcap("--add-box", $"https://127.0.0.1:{port}", "--token-file", _home.File("secure-state/token"), "--name", "secure", "--fingerprint", sha);
        var output = _home.File("secure.pcapng");
        var capture = Tshark("-i", "vc-secure", "-a", "packets:20", "-w", output);
        Assert.True(capture.ExitCode == 0, capture.StdErr);
        Assert.Equal(20, global::VirtCapture.Tests.Support.Tshark.Count(output));

        var other = string.Join(':', Enumerable.Repeat("0F", 32));
        Extcap("--add-box", $"https://127.0.0.1:{port}", "--token-file", _home.File("secure-state/token"), "--name", "spoofed", "--fingerprint", other);
        var refused = Tshark("-i", "vc-spoofed", "-a", "duration:5", "-w", _home.File("spoofed.pcapng"));
        Assert.Contains($"box spoofed (https://127.0.0.1:{port}): its HTTPS certificate is not the one pinned ({other})", refused.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_box_down_a_wrong_token_and_a_bad_filter_each_end_tshark_with_the_extcaps_one_line()
    {
        var wrong = _home.File("wrong-token");
        File.WriteAllText(wrong, "not-the-token");
        Extcap("--add-box", FreePort.HttpUrl(), "--token-file", wrong, "--name", "down");
        Extcap("--add-box", _box.Url, "--token-file", wrong, "--name", "wrong");

        var down = Tshark("-i", "vc-down", "-a", "duration:5", "-w", _home.File("a.pcapng"));
        Assert.True(down.StdErr.Contains("box down (http://127.0.0.1:", StringComparison.Ordinal), down.StdOut + down.StdErr);
        Assert.Contains("box wrong: the token was refused", Tshark("-i", "vc-wrong", "-a", "duration:5", "-w", _home.File("b.pcapng")).StdErr, StringComparison.Ordinal);
        Assert.Contains("udp port nonsense", Tshark("-i", "vc-lab", "-f", "udp port nonsense", "-a", "duration:5", "-w", _home.File("c.pcapng")).StdErr, StringComparison.Ordinal);
    }

    private string Window(string from, string to, string filter)
    {
        var path = _home.File($"ring-{Guid.NewGuid():N}.pcapng");
        using var response = _box.Client.GetAsync($"/api/packets?from={from}&to={to}&filter={Uri.EscapeDataString(filter)}").GetAwaiter().GetResult();
        Assert.True(response.IsSuccessStatusCode, response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        File.WriteAllBytes(path, response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult());
        return path;
    }

    private ProcessResult Extcap(params string[] args) => _home.Extcap(args);

    private ProcessResult Tshark(params string[] args) => _home.Tshark(args);

    private Dictionary<string, string> Environment() => _home.Environment;
}
