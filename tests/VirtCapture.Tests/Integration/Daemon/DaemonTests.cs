using System.Diagnostics;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Daemon;

/// <summary>The firmware daemon as a process: killed hard, restarted, and refusing bad configuration.</summary>
public sealed class DaemonTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string> Environment(int rate = 20_000) => new()
    {
        ["VIRTCAPTURE_CONFIG_DIR"] = _dir.File("config"),
        ["Capture__Backend"] = "Synthetic",
        ["Capture__SyntheticRate"] = rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Storage__Directory"] = _dir.File("captures"),
        ["Storage__FsyncIntervalMs"] = "200",
        ["Storage__MinFreePercent"] = "0",
        ["Management__Urls"] = FreePort.HttpUrl(),
        ["Management__TokenFile"] = _dir.File("token"),
        ["Management__ApiSettingsFile"] = _dir.File("api-settings.json"),
    };

    [Fact]
    public void Kill_9_mid_write_loses_nothing_written_and_the_restart_repairs_every_file()
    {
        var captures = _dir.File("captures");
        using (var first = Firmware.Start(Environment(), "run"))
        {
            var part = WaitForPart(captures, minBytes: 300_000);
            Thread.Sleep(300);
            var before = PcapngBlockWalker.WholeBlocks(File.ReadAllBytes(part)).Count(b => b.Type == 6);
            first.Kill();
            first.WaitForExit();

            Assert.True(File.Exists(part), "the killed capture leaves its .part file");
            var repaired = Firmware.Run("repair", part);
            Assert.Equal(0, repaired.ExitCode);
            var final = part[..^".part".Length];
            Tshark.AssertReadsCleanly(final);
            Assert.True(Tshark.CapinfosPackets(final) >= before, $"{before} frames were on disk before the kill");
        }

        // Killed again, then a restart repairs the leftover on its own and continues the ring.
        using (var second = Firmware.Start(Environment(), "run"))
        {
            WaitForPart(captures, minBytes: 50_000);
            second.Kill();
            second.WaitForExit();
        }

        Assert.Single(Directory.GetFiles(captures, "*.part"));
        using (var third = Firmware.Start(Environment(), "run"))
        {
            WaitForPart(captures, minBytes: 10_000, sequence: 3);
            var stopped = Run.Program("kill", "-TERM", third.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(0, stopped.ExitCode);
            Assert.True(third.WaitForExit(30_000), "SIGTERM stops the daemon");
            var log = third.StandardOutput.ReadToEnd();
            Assert.Contains("Repaired", log, StringComparison.Ordinal);
            Assert.Contains("Capture stopped", log, StringComparison.Ordinal);
            Assert.Equal(0, third.ExitCode);
        }

        Assert.Empty(Directory.GetFiles(captures, "*.part"));
        var files = Directory.GetFiles(captures, "*.pcapng").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(3, files.Length);
        Assert.All(files, Tshark.AssertReadsCleanly);
    }

    [Theory]
    [InlineData("--Storage:OnFull=Sometimes", "Storage:OnFull must be one of Overwrite, Stop, got 'Sometimes'")]
    [InlineData("--Capture:Backend=Carrier-Pigeon", "Capture:Backend must be one of AfPacket, Libpcap, Replay, Synthetic")]
    [InlineData("--Storage:FileSizeMB=lots", "'Storage:FileSizeMB'")]
    [InlineData("--Capture:Snaplen=5", "Capture:Snaplen must be between 14 and 262144, got 5")]
    [InlineData("--Capture:Filter=tcp port http-ish", "Capture:Filter 'tcp port http-ish' is not a valid capture filter")]
    public void A_bad_setting_stops_the_start_with_one_line_naming_the_key(string setting, string expected)
    {
        var result = Firmware.Run(Environment(), "run", setting);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr + result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_configuration_file_is_one_line()
    {
        Directory.CreateDirectory(_dir.File("config"));
        File.WriteAllText(_dir.File("config/appsettings.json"), "{ \"Capture\": { \"Filter\": ");
        var result = Firmware.Run(Environment(), "run");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("appsettings.json", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    private static string WaitForPart(string directory, long minBytes, int sequence = 0)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (Directory.Exists(directory))
            {
                var part = Directory.GetFiles(directory, "*.part")
                    .FirstOrDefault(p => sequence == 0 || Path.GetFileName(p).StartsWith($"vc_{sequence:D6}_", StringComparison.Ordinal));
                if (part is not null && new FileInfo(part).Length >= minBytes)
                {
                    return part;
                }
            }

            Thread.Sleep(50);
        }

        throw new TimeoutException($"no .part file of {minBytes} bytes appeared in {directory}");
    }
}
