using System.Globalization;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Daemon;

/// <summary>
/// `make run` on a laptop: the simulated board at 3000 frames a second must not keep a core busy. Its source once
/// slept less than a millisecond between frames, which Thread.Sleep turns into a yield, and the capture thread spun.
/// </summary>
public sealed class SimulatedBoardCpuTests : IClassFixture<BoxFixture>
{
    private readonly BoxFixture _box;

    public SimulatedBoardCpuTests(BoxFixture box) => _box = box;

    [Fact]
    public async Task The_simulated_board_at_3000_frames_a_second_uses_a_small_part_of_one_core()
    {
        var clockTicks = 100.0; // USER_HZ on Linux
        var (cpuBefore, wallBefore) = (CpuTicks(_box.Firmware.Pid), DateTime.UtcNow);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var (cpuAfter, wallAfter) = (CpuTicks(_box.Firmware.Pid), DateTime.UtcNow);
        var share = (cpuAfter - cpuBefore) / clockTicks / (wallAfter - wallBefore).TotalSeconds;
        Assert.True(share < 0.4, $"the firmware on the simulated board used {share:P0} of a core over 5 s at 3000 frames/s");
    }

    /// <summary>utime + stime of the process, fields 14 and 15 of /proc/PID/stat (after the command's parentheses).</summary>
    private static long CpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }
}
