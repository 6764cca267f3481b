using System.Device.Gpio;
using VirtCapture.Daemon;
using VirtCapture.Panel;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Panel;

/// <summary>The front panel on the simulated board: the real GpioController and GpioButton over simulated lines.</summary>
public sealed class FrontPanelTests
{
    [Fact]
    public void The_leds_show_a_running_capture_on_their_gpio_lines()
    {
        using var box = new PanelHarness();
        box.WaitFor(() => box.Pattern(Led.Capture) == LedPattern.Steady, "CAPTURE steady");
        box.WaitFor(() => box.Pattern(Led.LinkA) == LedPattern.Flicker, "LINK-A flickering with traffic");
        Assert.Equal(LedPattern.Steady, box.Pattern(Led.Power));
        Assert.Equal(PinValue.High, box.Line(Led.Power));
        Assert.Equal(PinValue.High, box.Line(Led.Capture));
        Assert.Equal(PinValue.Low, box.Line(Led.Fault));
        Assert.Equal(PinValue.Low, box.Line(Led.Drop));
    }

    [Fact]
    public async Task A_bouncing_contact_is_one_press()
    {
        using var box = new PanelHarness();
        box.WaitFor(() => box.Service.Activity == CaptureActivity.Capturing, "capturing");
        var line = box.Board.Buttons["START-STOP"].Line;
        // A worn contact: six edges within 5 ms, then held down briefly and released.
        for (var i = 0; i < 3; i++)
        {
            box.Driver.SetInput(line, PinValue.Low);
            box.Driver.SetInput(line, PinValue.High);
        }

        box.Driver.SetInput(line, PinValue.Low);
        await Task.Delay(150);
        box.Driver.SetInput(line, PinValue.High);

        box.WaitFor(() => !box.Actions.IsEmpty, "the press to be handled");
        await Task.Delay(500);
        Assert.Equal(["START-STOP: stop"], box.Actions.ToArray());
        box.WaitFor(() => box.Service.Activity == CaptureActivity.Idle, "the capture to stop");
        box.WaitFor(() => box.Pattern(Led.Capture) == LedPattern.Off, "CAPTURE off");
    }

    [Fact]
    public async Task Holding_start_stop_for_3_s_is_a_safe_stop_with_every_file_closed()
    {
        using var box = new PanelHarness();
        box.WaitFor(() => box.Service.Activity == CaptureActivity.Capturing, "capturing");
        await Task.Delay(300);
        await box.Press("START-STOP", TimeSpan.FromSeconds(3.4));

        box.WaitFor(() => box.Service.SafeToUnplug, "the safe stop");
        box.WaitFor(() => box.Pattern(Led.Power) == LedPattern.SlowBlink, "POWER slow blink: safe to unplug");
        Assert.Equal(LedPattern.Off, box.Pattern(Led.Capture));
        await Task.Delay(300);
        Assert.Equal(CaptureActivity.Idle, box.Service.Activity);
        Assert.DoesNotContain("START-STOP: start", box.Actions);
        Assert.Empty(Directory.GetFiles(box.Directory, "*.part"));
        var files = Directory.GetFiles(box.Directory, "*.pcapng");
        Assert.NotEmpty(files);
        Assert.All(files, Tshark.AssertReadsCleanly);
    }

    [Fact]
    public async Task Mark_writes_its_comment_and_keeps_the_marked_files_through_the_ring()
    {
        using var box = new PanelHarness(storage: s => s with { FileDurationSeconds = 1, MaxFiles = 3 });
        box.WaitFor(() => box.Service.Activity == CaptureActivity.Capturing, "capturing");
        // Waits on the ring's own file numbers, not the clock: a loaded machine rotates late, never differently.
        box.WaitFor(() => Sequence(box.Service.Snapshot().CurrentFile) >= 3, "two finished files before the mark");
        await box.Press("MARK", TimeSpan.FromMilliseconds(100));
        box.WaitFor(() => box.Actions.Contains("MARK: pressed"), "the mark");
        var protectedAtMark = box.Service.Protection.Names.ToArray();
        Assert.True(protectedAtMark.Length >= 3, $"the files of the last minutes and the current one: {string.Join(", ", protectedAtMark)}");
        var firstAfterMark = protectedAtMark.Max(Sequence) + 1;
        box.WaitFor(() => Sequence(box.Service.Snapshot().CurrentFile) > firstAfterMark + 3, "the ring to go round past the mark", seconds: 30);
        await box.Service.StopCaptureAsync();

        var files = Directory.GetFiles(box.Directory, "*.pcapng").Select(Path.GetFileName).ToArray();
        Assert.All(protectedAtMark, name => Assert.Contains(name, files));
        // The ring went on: files after the mark came and went, while the protected ones stayed.
        Assert.DoesNotContain(files, f => Sequence(f) == firstAfterMark);
        var marked = files.Where(f => Tshark.Count(Path.Combine(box.Directory, f!), "frame.comment == \"MARK 1\"") == 1).ToArray();
        Assert.Single(marked);
        Assert.Contains(marked[0], protectedAtMark);
    }

    [Fact]
    public void A_full_disk_blinks_storage_and_applies_OnFull_stop()
    {
        using var box = new PanelHarness(storage: s => s with { MinFreePercent = 5, OnFull = "Stop" }, probe: new FullDisk());
        box.WaitFor(() => box.Pattern(Led.Storage) == LedPattern.FastBlink, "STORAGE blinking");

        // The LED follows the disk's free space at once; the ring stops at its own next look at the disk.
        box.WaitFor(() => box.Service.RingStopped, "the ring to stop");
        // OnFull=Overwrite would have said "... and there is no older file to delete".
        Assert.Matches(@"^free space is below 5% \(with room for the next \d+ KiB\)$", box.Service.Snapshot().RingStopReason);
        box.WaitFor(() => box.Service.Activity == CaptureActivity.Idle, "the capture to stop");
        Assert.Equal(LedPattern.FastBlink, box.Pattern(Led.Storage));
        Assert.Empty(Directory.GetFiles(box.Directory, "*.part"));
    }

    [Fact]
    public void Missing_libpcap_lights_fault_and_logs_one_clear_line()
    {
        using var dir = new TempDirectory();
        using var firmware = new FirmwareProcess(Support.Firmware.File, [.. Support.Firmware.Exec, "run", "--Capture:Filter=udp"], new Dictionary<string, string>
        {
            ["VIRTCAPTURE_LIBPCAP"] = "/nonexistent/libpcap.so.0.8",
            ["VIRTCAPTURE_CONFIG_DIR"] = dir.File("none"),
            ["Capture__Backend"] = "Synthetic",
            ["Storage__Directory"] = dir.Path,
            ["Management__Urls"] = FreePort.HttpUrl(),
            ["Management__TokenFile"] = dir.File("token"),
        });
        firmware.WaitFor("FAULT=on");
        Assert.Contains("Capture cannot start: libpcap is not installed: apt-get install libpcap0.8", firmware.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", firmware.Output, StringComparison.Ordinal);
        firmware.Stop();
    }

    // vc_000007_20261126220818.pcapng → 7; no file yet → 0.
    private static int Sequence(string? name) =>
        name is null ? 0 : int.Parse(Path.GetFileName(name).AsSpan(3, 6), System.Globalization.CultureInfo.InvariantCulture);

    internal sealed class FullDisk : VirtCapture.Storage.DiskSpace
    {
        public override (long Free, long Total) Measure(string directory) => (3_000_000, 100_000_000);
    }
}
