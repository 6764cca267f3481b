using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Cli;

/// <summary>The command line a new user meets: typos refused, hostile files one line, the token never invented.</summary>
public sealed class CliHardeningTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();


    [Theory]
    [InlineData("iface")]
    [InlineData("spb")]
    public void Hostile_pcapng_files_are_one_line_for_capture_inventory_and_repair(string which)
    {
        var file = _dir.File($"{which}.pcapng");
        File.WriteAllBytes(file, which == "iface" ? HostileFiles.InterfaceIdAbove2Pow31() : HostileFiles.SimplePacketHugeWireLength());
        foreach (var args in new[] { new[] { "capture", "-r", file, "-w", _dir.File("out.pcapng") }, ["inventory", "-r", file] })
        {
            var result = Firmware.Run(args);
            Assert.DoesNotContain("   at ", result.StdErr + result.StdOut, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled", result.StdErr, StringComparison.Ordinal);
            Assert.True(result.ExitCode is 0 or 1, $"{args[0]}: exit {result.ExitCode}: {result.StdErr}");
            Assert.True(result.ErrorLines.Length <= 1, $"{args[0]}: {result.StdErr}");
        }

        File.Copy(file, _dir.File($"{which}.x.pcapng.part"));
        var repair = Firmware.Run("repair", _dir.File($"{which}.x.pcapng.part"));
        Assert.DoesNotContain("   at ", repair.StdErr + repair.StdOut, StringComparison.Ordinal);
        Assert.True(repair.ExitCode is 0 or 1, repair.StdErr);
        if (repair.ExitCode == 0)
        {
            Tshark.AssertReadsCleanly(_dir.File($"{which}.x.pcapng"));
        }
    }

    [Fact]
    public void Repair_keeps_the_good_frames_and_cuts_a_block_tshark_would_refuse()
    {
        var part = _dir.File("opt.pcapng.part");
        File.WriteAllBytes(part, HostileFiles.GoodFramesThenBadOption());
        var result = Firmware.Run("repair", part);
        Assert.Equal(0, result.ExitCode);
        Tshark.AssertReadsCleanly(_dir.File("opt.pcapng"));
        Assert.Equal(5, Tshark.CapinfosPackets(_dir.File("opt.pcapng")));
    }

    [Theory]
    [InlineData("capture", "-x")]
    [InlineData("capture", "-a", "duration:1")]
    [InlineData("capture", "-F", "pcap")]
    [InlineData("capturee")]
    [InlineData("inventory", "--colour")]
    public void Unknown_commands_and_options_are_refused_with_the_usage_line(params string[] words)
    {
        var input = TrafficFile.Generate(_dir.File("in.pcap"), 10);
        string[] args = words[0] == "capture" ? [.. words, "-r", input, "-w", _dir.File("out.pcapng")] : words[0] == "inventory" ? [.. words, "-r", input] : words;
        var result = Firmware.Run(new Dictionary<string, string> { ["Management__Urls"] = FreePort.HttpUrl(), ["Management__TokenFile"] = _dir.File("token"), ["Storage__Directory"] = _dir.File("captures") }, args);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("usage: virtcapture", line, StringComparison.Ordinal);
        Assert.Contains($"'{(words.Length > 1 ? words[1] : words[0])}'", line, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("token")), "a typo must not start the daemon");
    }

    [Theory]
    [InlineData(new[] { "-s", "abc" }, "-s abc: the snaplen must be a number")]
    [InlineData(new[] { "--vm", "zz" }, "--vm: 'zz' is not a VM")]
    [InlineData(new[] { "-c", "many" }, "-c many: the frame count must be a number")]
    public void Option_errors_speak_the_users_option(string[] option, string expected)
    {
        var input = TrafficFile.Generate(_dir.File("in.pcap"), 10);
        var result = Firmware.Run(["capture", "-r", input, "-w", _dir.File("out.pcapng"), .. option]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.DoesNotContain("System.", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Writing_into_a_directory_that_does_not_exist_is_refused_and_nothing_is_created()
    {
        var input = TrafficFile.Generate(_dir.File("in.pcap"), 10);
        var missing = _dir.File("no/such/dir");
        var result = Firmware.Run("capture", "-r", input, "-w", Path.Combine(missing, "x.pcapng"));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("does not exist", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.File("no")), "the directories were created");
    }

    [Fact]
    public void Token_never_creates_a_token_and_says_which_file_it_read()
    {
        var tokenFile = _dir.File("state/token");
        var missing = Firmware.Run(new Dictionary<string, string> { ["Management__TokenFile"] = tokenFile, ["VIRTCAPTURE_CONFIG_DIR"] = _dir.File("config") }, "token");
        Assert.Equal(2, missing.ExitCode);
        var line = Assert.Single(missing.ErrorLines);
        Assert.Contains(tokenFile, line, StringComparison.Ordinal);
        Assert.Contains("VIRTCAPTURE_CONFIG_DIR", line, StringComparison.Ordinal);
        Assert.False(File.Exists(tokenFile), "token created a token file");

        Directory.CreateDirectory(_dir.File("state"));
        File.WriteAllText(tokenFile, "0123456789abcdef0123456789abcdef\n");
        var found = Firmware.Run(new Dictionary<string, string> { ["Management__TokenFile"] = tokenFile }, "token");
        Assert.Equal(0, found.ExitCode);
        Assert.Equal("0123456789abcdef0123456789abcdef", found.StdOut.Trim());
        Assert.Contains($"token read from {tokenFile}", found.StdErr, StringComparison.Ordinal);
    }
}
