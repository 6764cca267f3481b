using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VirtCapture.Hal.Frames;
using VirtCapture.Hal.Replay;
using VirtCapture.Pipeline;

namespace VirtCapture.Cli;

/// <summary>
/// <c>virtcapture capture -r IN -w OUT [-f FILTER] [-s SNAPLEN] [-b filesize:KB] [-b duration:SEC] [-b files:N]
/// [-c COUNT]</c>: the box's data path over a file, with dumpcap's option names.
/// </summary>
internal static class CaptureCommand
{
    public static Command Build()
    {
        var read = new Option<string>("-r") { Description = "pcap or pcapng file to read", Required = true };
        var write = new Option<string>("-w") { Description = "pcapng file to write (the ring's name pattern with -b)", Required = true };
        var filter = new Option<string>("-f") { Description = "capture filter (tcpdump syntax)", DefaultValueFactory = _ => string.Empty };
        var snaplen = new Option<int>("-s") { Description = "bytes kept of each frame (0 = 262144)", DefaultValueFactory = _ => 0, CustomParser = r => CommandLineNumbers.Parse(r, "-s", "the snaplen") };
        var ring = new Option<string[]>("-b") { Description = "ring buffer: filesize:KB, duration:SEC, files:N (repeatable)" };
        var count = new Option<long>("-c") { Description = "stop after this many frames pass the filter", DefaultValueFactory = _ => 0, CustomParser = r => CommandLineNumbers.Parse(r, "-c", "the frame count") };
        var stats = new Option<bool>("--stats") { Description = "print frames, rate and the capture thread's allocations to stderr" };
        var vms = new Option<string[]>("--vm") { Description = "capture only this VM: MAC[@VLAN] (repeatable)" };
        var decap = new Option<bool>("--decap") { Description = "decapsulate mirror traffic (ERSPAN I/II/III, GRE, VXLAN, Geneve): one interface per session, filters on the inner frames" };
        var dedup = new Option<int>("--dedup") { Description = "with --decap: a frame seen again within this many ms in its session is a duplicate, counted and not written", DefaultValueFactory = _ => 0, CustomParser = r => CommandLineNumbers.Parse(r, "--dedup", "the deduplication window in ms") };
        var sessions = new Option<string[]>("--session") { Description = "with --decap: record only this mirror session, KIND-ID@SOURCE (repeatable)" };
        var command = new Command("capture", "Run the data path over a capture file, like dumpcap over a file") { read, write, filter, snaplen, ring, count, stats, vms, decap, dedup, sessions };
        command.SetAction(result => Run(
            result.GetValue(read)!,
            result.GetValue(write)!,
            result.GetValue(filter) ?? string.Empty,
            result.GetValue(snaplen),
            result.GetValue(ring) ?? [],
            result.GetValue(count),
            result.GetValue(stats),
            result.GetValue(vms) ?? [],
            result.GetValue(decap),
            result.GetValue(dedup),
            result.GetValue(sessions) ?? []));
        return command;
    }

    internal static int Run(string input, string output, string filter, int snaplen, string[] ringOptions, long count, bool stats, string[]? vms = null, bool decap = false, int dedupMs = 0, string[]? sessions = null)
    {
        var listed = Collector.MirrorFile.Sessions(sessions ?? [], "--session");
        if (listed.Count > 0 && !decap)
        {
            throw new UserErrorException("--session applies to mirror sessions: add --decap");
        }

        if (Configuration.CollectorOptions.DedupProblem(dedupMs, "--dedup") is { } dedupProblem)
        {
            throw new UserErrorException(dedupProblem);
        }

        if (dedupMs > 0 && !decap)
        {
            throw new UserErrorException("--dedup applies to mirror sessions: add --decap");
        }

        var effective = Vm.VmSelection.Filter(filter, vms, "--vm");
        var outputDirectory = Path.GetDirectoryName(Path.GetFullPath(output))!;
        if (!Directory.Exists(outputDirectory))
        {
            throw new UserErrorException($"-w {output}: the directory {outputDirectory} does not exist");
        }

        Storage.WritableDirectory.EnsureWritable(outputDirectory, "-w", create: false);

        if (count < 0)
        {
            throw new UserErrorException($"-c {count}: the frame count must be 0 (no limit) or more");
        }
        if (snaplen == 0)
        {
            snaplen = Slicer.MaxSnaplen;
        }

        if (Slicer.Problem(snaplen, "-s") is { } problem)
        {
            throw new UserErrorException($"{problem} (or 0 for {Slicer.MaxSnaplen})");
        }

        var ring = RingFor(output, ringOptions);
        var stopwatch = Stopwatch.StartNew();
        IFrameSource source = new ReplayFrameSource(input);
        var decapsulating = decap ? Collector.MirrorFile.Decapsulate(input, source, TimeSpan.FromMilliseconds(dedupMs), listed) : null;
        source = decapsulating ?? source;
        using var session = CaptureSession.Create(source, effective, snaplen, ring, new PipelineSettings { FrameLimit = count, Hardware = "VirtCapture offline" }, TimeProvider.System, NullLogger.Instance);
        session.Pipeline.AddAnnotator(new Vm.AnnouncementAnnotator(Vm.HypervisorFamilies.Default));
        if (decapsulating is not null)
        {
            session.Pipeline.AddStatisticsNote(port => decapsulating.SessionCounters(port).ToString());
        }

        session.Pipeline.Start();
        session.Pipeline.Completion.GetAwaiter().GetResult();
        stopwatch.Stop();
        var counters = session.Pipeline.Counters();
        var received = counters.Sum(c => c.Received);
        var written = counters.Sum(c => c.Written);
        if (stats)
        {
            var allocated = session.Pipeline.CaptureThreadAllocatedBytes;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"virtcapture: {received} frames read, {written} written in {stopwatch.Elapsed.TotalSeconds:F3} s ({received / Math.Max(stopwatch.Elapsed.TotalSeconds, 1e-9):F0} frames/s); capture thread allocated {allocated} bytes ({(double)allocated / Math.Max(received, 1):F3} bytes per frame)"));
        }

        if (decapsulating is not null)
        {
            var c = decapsulating.Counters;
            Console.Error.WriteLine($"virtcapture: {decapsulating.Ports.Count} mirror sessions ({string.Join(", ", decapsulating.Ports.Select(p => p.Description))}); {c.NotMirror} frames not mirror traffic, {c.Malformed} damaged{(c.FirstProblem is null ? string.Empty : $" (first: {c.FirstProblem})")}, {c.Fragments} outer IP fragments ({decapsulating.Reassembled} datagrams reassembled, {decapsulating.ReassemblyGivenUp} given up); {decapsulating.Lost} frames lost before the box (GRE sequence gaps){(dedupMs > 0 ? $"; {decapsulating.Duplicates} duplicates not written (--dedup {dedupMs})" : string.Empty)}");
        }

        if (session.Pipeline.Error is { } error)
        {
            // Not a usage error: what came before the damage is recorded, and the status says the input was bad.
            var where = ring.SingleFile ?? ring.Directory;
            Console.Error.WriteLine($"virtcapture: {error.Message} ({written} frames before it were written to {where})");
            return ErrorReporter.Failure;
        }

        return 0;
    }

    private static RingSettings RingFor(string output, string[] ringOptions)
    {
        if (ringOptions.Length == 0)
        {
            return new RingSettings { Directory = Path.GetDirectoryName(Path.GetFullPath(output))!, SingleFile = Path.GetFullPath(output), FsyncInterval = TimeSpan.FromSeconds(5), DirectIo = false, SyncToDisk = false };
        }

        long fileBytes = 0, durationNs = 0;
        var files = 0;
        foreach (var option in ringOptions)
        {
            var colon = option.IndexOf(':', StringComparison.Ordinal);
            var key = colon > 0 ? option[..colon] : option;
            if (colon < 0 || !long.TryParse(option.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                throw new UserErrorException($"-b {option}: expected filesize:KB, duration:SEC or files:N with a positive number");
            }

            switch (key)
            {
                case "filesize":
                    fileBytes = value * 1000;
                    break;
                case "duration":
                    durationNs = value * 1_000_000_000;
                    break;
                case "files":
                    files = (int)Math.Min(value, int.MaxValue);
                    break;
                default:
                    throw new UserErrorException($"-b {option}: unknown ring option '{key}' (use filesize, duration or files)");
            }
        }

        var full = Path.GetFullPath(output);
        return new RingSettings
        {
            Directory = Path.GetDirectoryName(full)!,
            Prefix = Path.GetFileNameWithoutExtension(full),
            MaxFileBytes = fileBytes,
            MaxFileDurationNs = durationNs,
            MaxFiles = files,
            OnFull = StorageFullPolicy.Overwrite,
            DirectIo = false,
            SyncToDisk = false,
            FsyncInterval = TimeSpan.FromSeconds(5),
        };
    }
}
