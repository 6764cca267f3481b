using System.Globalization;
using System.Text.RegularExpressions;
using VirtCapture.Cli;
using VirtCapture.Pcapng;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Fuzz;

/// <summary>
/// Thousands of seeded mutations of real capture files through every reader a user can reach: capture, inventory,
/// repair. Each either carries the frames or stops with a one-line error; none may crash. A repaired file must be
/// one that Wireshark's readers accept. `make fuzz` runs the same with more iterations (FUZZ_ITERATIONS, FUZZ_SEED).
/// </summary>
public sealed partial class FuzzTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static int Iterations(int fallback) => int.TryParse(Environment.GetEnvironmentVariable("FUZZ_ITERATIONS"), CultureInfo.InvariantCulture, out var n) ? n : fallback;

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 20261126;

    [Fact]
    public void Mutated_files_never_crash_capture_inventory_or_repair()
    {
        var corpus = FuzzCorpus.Build(_dir);
        var mutator = new Mutator(Seed);
        var crashes = new List<string>();
        var iterations = Iterations(2000);
        var stdout = Console.Out;
        var stderr = Console.Error;
        Console.SetOut(TextWriter.Null);
        var errors = new StringWriter();
        Console.SetError(errors);
        try
        {
            for (var i = 0; i < iterations; i++)
            {
                var input = _dir.File($"m{i % 8}.in");
                File.WriteAllBytes(input, mutator.Mutate(corpus[i % corpus.Count]));
                var output = _dir.File($"m{i % 8}.out.pcapng");
                errors.GetStringBuilder().Clear();
                Check(crashes, i, "capture", () => CaptureCommand.Run(input, output, string.Empty, 0, [], 0, false));
                Check(crashes, i, "capture -f", () => CaptureCommand.Run(input, output, "udp or vlan", 64, [], 0, false));
                Check(crashes, i, "inventory", () => InventoryCommand.Run(input, json: true, idleSeconds: 300));
                if (errors.ToString().Contains("internal error", StringComparison.Ordinal))
                {
                    // Caught by the capture thread's last resort: no crash, but a reader bug all the same.
                    crashes.Add($"#{i} capture: {errors.ToString().Trim()}");
                }

                var part = _dir.File($"r{i % 8}.pcapng.part");
                File.Copy(input, part, overwrite: true);
                File.Delete(part[..^5]);
                Check(crashes, i, "repair", () => PcapngRepair.Repair(part).Frames >= 0 ? 0 : 1);
                File.Delete(part);
                File.Delete(part[..^5]);
            }
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }

        Assert.True(crashes.Count == 0, $"{crashes.Count} crashes in {iterations} mutations (seed {Seed}):\n{string.Join('\n', crashes.Take(10))}");
    }

    [Fact]
    public void Every_mutated_file_that_repair_accepts_is_read_by_tshark_without_an_error()
    {
        var corpus = FuzzCorpus.Build(_dir);
        var mutator = new Mutator(Seed + 1);
        var repaired = new List<string>();
        var iterations = Iterations(2000) / 10;
        for (var i = 0; i < iterations; i++)
        {
            // Only pcapng files are repaired (the ring writes nothing else).
            var seed = corpus[i % corpus.Count];
            if (seed[0] != 0x0A)
            {
                continue;
            }

            var part = _dir.File($"t{i:D5}.pcapng.part");
            File.WriteAllBytes(part, mutator.Mutate(seed));
            try
            {
                repaired.Add(PcapngRepair.Repair(part).FinalPath);
            }
            catch (InvalidDataException)
            {
                // Refused with a reason: set aside by the daemon, never called repaired.
            }
        }

        Assert.True(repaired.Count > 20, $"only {repaired.Count} files were repaired: the test shows nothing");
        var failures = new List<string>();
        foreach (var batch in repaired.Chunk(50))
        {
            var capinfos = Run.Program("capinfos", ["-c", .. batch], TimeSpan.FromMinutes(3));
            failures.AddRange(capinfos.ErrorLines.Where(l => l.Length > 0));
        }

        var sound = failures.Select(l => UnknownEncapsulation().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct()
            .Where(WiresharkPredatesTheLinkType).ToHashSet();
        failures.RemoveAll(l => UnknownEncapsulation().Match(l) is { Success: true } m && sound.Contains(m.Groups[1].Value));

        Assert.True(failures.Count == 0, $"{failures.Count} repaired files are not clean for Wireshark (seed {Seed + 1}):\n{string.Join('\n', failures.Take(10))}");
        foreach (var file in repaired.Take(15))
        {
            Tshark.AssertReadsCleanly(file);
        }
    }

    // Repair keeps an interface whose link type libpcap names and sets aside one it does not (65535). Debian 12's
    // Wireshark 4.0 predates some of the types libpcap names (LINKTYPE 257, PROFIBUS_DL): capinfos then reports
    // "Unknown packet encapsulation" for a file that is sound. tcpdump, an independent reader, prints an unknown
    // type as "unknown data link type" and a known one by name, so it settles which case a file is.
    private static bool WiresharkPredatesTheLinkType(string path) =>
        !Run.Program("tcpdump", "-r", path, "-c", "1", "-nn").StdErr.Contains("unknown data link type", StringComparison.Ordinal);

    [GeneratedRegex("^capinfos: Unknown packet encapsulation 0 in frame [0-9]+ of file \"(.+)\"$")]
    private static partial Regex UnknownEncapsulation();

    private static void Check(List<string> crashes, int iteration, string what, Func<int> action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (ErrorReporter.Report(e, TextWriter.Null) >= 0)
        {
            // A one-line error for the user: what a hostile file should produce.
        }
        catch (Exception e)
        {
            crashes.Add($"#{iteration} {what}: {e.GetType().Name}: {e.Message} {e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
        }
    }
}
