using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using VirtCapture.Hal.Replay;
using VirtCapture.Pipeline;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Lab.Storage;

/// <summary>A full disk is handled by the policy whatever the floor; a read-only one is one line and a FAULT.</summary>
public sealed class StorageHardeningTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [RootFact]
    public void A_full_disk_with_no_floor_overwrites_the_oldest_and_leaves_no_empty_or_unreadable_file()
    {
        // About 30 MB of traffic through a 12 MiB disk, Storage:MinFreePercent 0 (the CLI's ring has no floor).
        var input = TrafficFile.Generate(_dir.File("big.pcap"), 40_000, seed: 5);
        using var disk = new SmallDisk(12);
        var result = Firmware.Run("capture", "-r", input, "-w", disk.File("ring.pcapng"), "-b", "filesize:1000");
        Assert.True(result.ExitCode == 0, result.StdErr);
        var files = Directory.GetFiles(disk.Path).Order(StringComparer.Ordinal).ToArray();
        Assert.True(files.Length >= 5, $"{files.Length} files kept");
        Assert.DoesNotContain(files, f => new FileInfo(f).Length == 0);
        Assert.DoesNotContain(files, f => f.EndsWith(".part", StringComparison.Ordinal));
        foreach (var file in files.TakeLast(3))
        {
            Tshark.AssertReadsCleanly(file);
        }

        // The newest frames are the ones kept: the last file ends with the last frame of the input.
        var lastInput = Tshark.Fields(input, null, "frame.time_epoch")[^1];
        Assert.Equal(lastInput, Tshark.Fields(files[^1], null, "frame.time_epoch")[^1]);
    }

    [RootFact]
    public void OnFull_Stop_on_a_full_disk_counts_every_frame_it_did_not_store_as_dropped()
    {
        var input = TrafficFile.Generate(_dir.File("big.pcap"), 40_000, seed: 6);
        using var disk = new SmallDisk(8);
        var ring = new RingSettings { Directory = disk.Path, MaxFileBytes = 1_000_000, OnFull = StorageFullPolicy.Stop, FsyncInterval = TimeSpan.FromSeconds(1) };
        using var session = CaptureSession.Create(new ReplayFrameSource(input), EffectiveFilter.Plain(string.Empty), 262144, ring, new PipelineSettings(), TimeProvider.System, NullLogger.Instance);
        session.Pipeline.Start();
        session.Pipeline.Completion.Wait(TimeSpan.FromMinutes(2));
        Assert.Null(session.Pipeline.Error);
        Assert.True(session.Pipeline.Ring.Stopped, "the ring stopped on the full disk");
        var counters = session.Pipeline.Counters().Single();
        // The capture ends when the ring stops, so how many frames were read by then depends on timing; what may not
        // happen is a frame accepted and then neither written nor counted as dropped.
        Assert.InRange(counters.Accepted, 1, 40_000);
        Assert.True(counters.Written > 0 && counters.Written < 40_000, $"{counters.Written} written");
        Assert.Equal(counters.Accepted, counters.Written + counters.BufferDropped);
        var files = Directory.GetFiles(disk.Path);
        Assert.DoesNotContain(files, f => new FileInfo(f).Length == 0);
        Assert.Equal(counters.Written, files.Sum(f => Tshark.CapinfosPackets(f)));
    }

    [RootFact]
    public async Task A_read_only_capture_directory_is_one_line_for_the_cli_and_a_fault_for_the_daemon()
    {
        var input = TrafficFile.Generate(_dir.File("in.pcap"), 100);
        using var disk = new SmallDisk(4, readOnly: true);
        var cli = Firmware.Run("capture", "-r", input, "-w", disk.File("x.pcapng"));
        Assert.Equal(1, cli.ExitCode);
        var line = Assert.Single(cli.ErrorLines);
        Assert.Contains("cannot write there", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", cli.StdErr, StringComparison.Ordinal);

        var url = FreePort.HttpUrl();
        using var firmware = new FirmwareProcess(Support.Firmware.File, [.. Support.Firmware.Exec, "run"], new Dictionary<string, string>
        {
            ["VIRTCAPTURE_CONFIG_DIR"] = _dir.File("config"),
            ["Capture__Backend"] = "Synthetic",
            ["Storage__Directory"] = disk.Path,
            ["Management__Urls"] = url,
            ["Management__TokenFile"] = _dir.File("token"),
        });
        firmware.WaitFor("Application started");
        firmware.WaitFor("FAULT=on");
        using var client = new HttpClient { BaseAddress = new Uri(url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(_dir.File("token")).Trim());
        using var status = JsonDocument.Parse(await client.GetStringAsync("/api/status"));
        Assert.Contains("Storage:Directory", status.RootElement.GetProperty("fault").GetString(), StringComparison.Ordinal);
        firmware.Stop();
        Assert.Equal(0, firmware.ExitCode);
        Assert.DoesNotContain("   at ", firmware.Output, StringComparison.Ordinal);
    }
}
