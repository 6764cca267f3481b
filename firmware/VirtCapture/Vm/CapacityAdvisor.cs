using VirtCapture.Configuration;
using VirtCapture.Format.Pcapng;

namespace VirtCapture.Vm;

/// <summary>
/// How long the ring holds at the current rate, and what snaplen or VM selection would keep a target retention.
/// Estimates from the recent rates: frames per second and their average captured size.
/// </summary>
internal static class CapacityAdvisor
{
    private const string FileLimit = "Storage:MaxFiles × Storage:FileDurationSeconds";

    // What the ring stores around each frame's bytes: the enhanced packet block with its epb_flags, as the buffer
    // encodes it.
    private static readonly int PerFrameOverhead = PcapngBlocks.PlainEnhancedPacketLength(0, flags: 1);
    private static readonly int[] CandidateSnaplens = [64, 128, 256, 512];

    /// <summary>
    /// The advice for the ring as configured: the rates are the inventory's (every MAC not gone), and the ring may fill
    /// the free space above Storage:MinFreePercent plus its own files, at most MaxFiles × FileSizeMB, and hold at most
    /// MaxFiles × FileDurationSeconds, or Storage:KeepSeconds in trigger-only mode, whichever is shorter.
    /// </summary>
    /// <param name="vms">The inventory.</param>
    /// <param name="storage">The Storage section in force.</param>
    /// <param name="diskFree">Free bytes of the capture disk.</param>
    /// <param name="diskTotal">Size of the capture disk.</param>
    /// <param name="ringBytes">What the ring's files hold now (the ring deletes them to make room).</param>
    /// <param name="snaplen">The snaplen in force.</param>
    /// <param name="targetHours">Vm:TargetRetentionHours.</param>
    public static CapacityAdvice ForRing(IReadOnlyList<VmView> vms, StorageOptions storage, long diskFree, long diskTotal, long ringBytes, int snaplen, double targetHours)
    {
        ArgumentNullException.ThrowIfNull(vms);
        ArgumentNullException.ThrowIfNull(storage);
        double fps = 0, bytesPerSecond = 0;
        foreach (var vm in vms)
        {
            if (!vm.Gone)
            {
                fps += vm.FramesPerSecond;
                bytesPerSecond += vm.BytesPerSecond;
            }
        }

        var floor = (long)(diskTotal * storage.MinFreePercent / 100);
        var usable = Math.Max(0, diskFree - floor) + ringBytes;
        if (storage.MaxFiles > 0 && storage.FileSizeMB > 0)
        {
            usable = Math.Min(usable, storage.MaxFiles * storage.FileSizeMB * 1_000_000L);
        }

        var (maxSeconds, limitedBy) = storage.MaxFiles > 0 && storage.FileDurationSeconds > 0
            ? (storage.MaxFiles * (double)storage.FileDurationSeconds, FileLimit)
            : (double.PositiveInfinity, string.Empty);
        if (storage.KeepSeconds > 0 && storage.KeepSeconds < maxSeconds)
        {
            (maxSeconds, limitedBy) = (storage.KeepSeconds, "Storage:KeepSeconds");
        }

        return Advise(fps, fps > 0 ? bytesPerSecond / fps : 0, usable, snaplen, targetHours, vms, maxSeconds / 3600, limitedBy);
    }

    /// <param name="framesPerSecond">Frames per second now.</param>
    /// <param name="bytesPerFrame">Their average size.</param>
    /// <param name="usableBytes">What the ring may fill: free space above the floor plus its files, at most MaxFiles × FileSizeMB.</param>
    /// <param name="snaplen">The snaplen in force.</param>
    /// <param name="targetHours">Vm:TargetRetentionHours.</param>
    /// <param name="vms">The inventory.</param>
    /// <param name="maxHours">The ring's time limit whatever the rate (MaxFiles × FileDurationSeconds, KeepSeconds), or infinity.</param>
    /// <param name="limitedBy">The settings that make <paramref name="maxHours"/>, named in the advice.</param>
    public static CapacityAdvice Advise(double framesPerSecond, double bytesPerFrame, long usableBytes, int snaplen, double targetHours, IReadOnlyList<VmView> vms, double maxHours = double.PositiveInfinity, string limitedBy = FileLimit)
    {
        double Hours(double fps, double frameBytes) => Math.Min(maxHours, fps <= 0 ? double.PositiveInfinity : usableBytes / (fps * (frameBytes + PerFrameOverhead)) / 3600);
        var current = Hours(framesPerSecond, Math.Min(bytesPerFrame, snaplen));
        var snaplens = CandidateSnaplens
            .Where(s => s < snaplen)
            .Select(s => new SnaplenAdvice(s, Round(Hours(framesPerSecond, Math.Min(bytesPerFrame, s)))))
            .ToArray();
        // One line per MAC: a MAC seen on both ports or several VLANs (a switch, a router) is one thing to select.
        var busiest = vms.Where(v => !v.Gone && v.FramesPerSecond > 0)
            .GroupBy(v => v.Mac, StringComparer.Ordinal)
            .Select(g => (Mac: g.Key, g.First().Family, Fps: g.Sum(v => v.FramesPerSecond), Bps: g.Sum(v => v.BytesPerSecond)))
            .OrderByDescending(v => v.Bps).Take(5)
            .Select(v => new VmAdvice(v.Mac, v.Family, Round(Hours(v.Fps, Math.Min(v.Bps / v.Fps, snaplen)))))
            .ToArray();
        var best = snaplens.Where(s => s.RetentionHours >= targetHours).OrderByDescending(s => s.Snaplen).FirstOrDefault();
        var limit = double.IsInfinity(maxHours) ? string.Empty : $" ({limitedBy} limits it to {Round(maxHours)} h)";
        var advice = double.IsInfinity(current) ? "no traffic: the ring holds indefinitely at the current rate"
            : current >= targetHours ? $"the ring holds about {Round(current)} h{limit}, more than the {targetHours} h target"
            : current >= maxHours ? $"the ring holds {Round(current)} h: {limitedBy} limits it below the {targetHours} h target"
            : best is not null ? $"snaplen {best.Snaplen} keeps about {best.RetentionHours} h (target {targetHours} h)"
            : $"even snaplen 64 keeps only {snaplens.LastOrDefault()?.RetentionHours ?? Round(current)} h: select the VMs you need (Capture:Vms)";
        return new CapacityAdvice(Round(framesPerSecond), Round(bytesPerFrame), usableBytes, Round(current), targetHours, advice, snaplens, busiest);
    }

    private static double Round(double value) => double.IsInfinity(value) ? -1 : Math.Round(value, 1);
}
