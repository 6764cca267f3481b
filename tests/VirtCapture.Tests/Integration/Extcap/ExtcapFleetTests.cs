using VirtCapture.Tests.Integration.Fleet;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Extcap;

/// <summary>
/// A site's boxes in Wireshark's list without adding each: the extcap reads the boxes' retained states from a real
/// Mosquitto broker. The box option points an interface's capture at another box.
/// </summary>
public sealed class ExtcapFleetTests : IDisposable
{
    private readonly ExtcapLaptop _home = new();
    private readonly MosquittoBroker _broker = new();

    public void Dispose()
    {
        _broker.Dispose();
        _home.Dispose();
    }

    [Fact]
    public void The_fleets_online_boxes_are_listed_and_captured_from_and_the_box_option_picks_one()
    {
        using var box = new FleetBox(_broker, "rack7", null, null, null, "--Capture:SyntheticRate=500");
        box.Process.WaitFor("Capture started");
        Extcap("--install");
        Extcap("--add-fleet", _broker.Url, "--site", "lab", "--token-file", box.TokenFile);
        Extcap("--add-box", FreePort.HttpUrl(), "--token-file", box.TokenFile, "--name", "spare");

        var deadline = DateTime.UtcNow.AddSeconds(20);
        var list = Tshark("-D").StdOut;
        while (!list.Contains("vc-rack7~A", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            // The box publishes its state once connected; the list is cached for a minute, so it is asked afresh.
            var cache = Path.Combine(_home.Path, ".cache", "virtcapture", "extcap-interfaces.txt");
            if (File.Exists(cache))
            {
                File.Delete(cache);
            }

            Thread.Sleep(500);
            list = Tshark("-D").StdOut;
        }

        Assert.Contains("vc-rack7 (VirtCapture rack7: all ports)", list, StringComparison.Ordinal);
        Assert.Contains("vc-rack7~B (VirtCapture rack7: ", list, StringComparison.Ordinal);
        Assert.Contains("vc-spare (VirtCapture spare: all ports (not reachable now))", list, StringComparison.Ordinal);

        var fromFleet = _home.File("fleet.pcapng");
        var capture = Tshark("-i", "vc-rack7~A", "-a", "packets:30", "-w", fromFleet);
        Assert.True(capture.ExitCode == 0, capture.StdErr);
        Assert.Equal(30, global::VirtCapture.Tests.Support.Tshark.Count(fromFleet));
        Assert.Equal(0, global::VirtCapture.Tests.Support.Tshark.Count(fromFleet, "frame.interface_name != \"A\""));

        // The options offer every box, the interface's own as the default; a reload gives those values alone.
        var config = Extcap("--extcap-interface", "vc-spare", "--extcap-config").StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(config, l => l.StartsWith("arg {number=4}{call=--box}{display=Box}{type=selector}{reload=true}", StringComparison.Ordinal));
        Assert.Contains($"value {{arg=4}}{{value=rack7}}{{display=rack7 ({box.Url})}}{{default=false}}", config);
        Assert.Contains(config, l => l.StartsWith("value {arg=4}{value=spare}", StringComparison.Ordinal) && l.EndsWith("{default=true}", StringComparison.Ordinal));
        var reload = Extcap("--extcap-interface", "vc-spare", "--extcap-config", "--extcap-reload-option", "box").StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, reload.Length);
        Assert.All(reload, l => Assert.StartsWith("value {arg=4}", l, StringComparison.Ordinal));

        // The spare box is down; its interface with the box option set to rack7 captures from rack7.
        var picked = _home.File("picked.pcapng");
        capture = Tshark("-i", "vc-spare", "-o", "extcap.vc_spare.box:rack7", "-a", "packets:20", "-w", picked);
        Assert.True(capture.ExitCode == 0, capture.StdErr);
        Assert.Equal(20, global::VirtCapture.Tests.Support.Tshark.Count(picked));
    }

    [Fact]
    public void A_fleet_without_a_token_file_is_refused_in_one_line()
    {
        var result = _home.Run("--add-fleet", _broker.Url, "--site", "lab");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("virtcapture: extcap: --add-fleet needs --token-file with the API token the site's boxes share", result.StdErr.Trim());
    }

    private ProcessResult Extcap(params string[] args) => _home.Extcap(args);

    private ProcessResult Tshark(params string[] args) => _home.Tshark(args);
}
