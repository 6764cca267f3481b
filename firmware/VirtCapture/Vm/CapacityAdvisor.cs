namespace VirtCapture.Vm;

/// <summary>
/// How long the ring holds at the current rate, and what snaplen or VM selection would keep a target retention.
/// Estimates from the recent rates: frames per second and their average captured size.
/// </summary>
internal static class CapacityAdvisor
{
    private const int PerFrameOverhead = 44; // EPB header, flags option and trailer
    private static readonly int[] CandidateSnaplens = [64, 128, 256, 512];

    /// <param name="framesPerSecond">Frames per second now.</param>
    /// <param name="bytesPerFrame">Their average size.</param>
    /// <param name="usableBytes">What the ring may fill: free space above the floor plus its files, at most MaxFiles × FileSizeMB.</param>
    /// <param name="snaplen">The snaplen in force.</param>
    /// <param name="targetHours">Vm:TargetRetentionHours.</param>
    /// <param name="vms">The inventory.</param>
    /// <param name="maxHours">The ring's time limit whatever the rate (MaxFiles × FileDurationSeconds), or infinity.</param>
    public static CapacityAdvice Advise(double framesPerSecond, double bytesPerFrame, long usableBytes, int snaplen, double targetHours, IReadOnlyList<VmView> vms, double maxHours = double.PositiveInfinity)
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
        var limit = double.IsInfinity(maxHours) ? string.Empty : $" (its file count and duration limit it to {Round(maxHours)} h)";
        var advice = double.IsInfinity(current) ? "no traffic: the ring holds indefinitely at the current rate"
            : current >= targetHours ? $"the ring holds about {Round(current)} h{limit}, more than the {targetHours} h target"
            : current >= maxHours ? $"the ring holds {Round(current)} h: Storage:MaxFiles × Storage:FileDurationSeconds limit it below the {targetHours} h target"
            : best is not null ? $"snaplen {best.Snaplen} keeps about {best.RetentionHours} h (target {targetHours} h)"
            : $"even snaplen 64 keeps only {snaplens.LastOrDefault()?.RetentionHours ?? Round(current)} h: select the VMs you need (Capture:Vms)";
        return new CapacityAdvice(Round(framesPerSecond), Round(bytesPerFrame), usableBytes, Round(current), targetHours, advice, snaplens, busiest);
    }

    private static double Round(double value) => double.IsInfinity(value) ? -1 : Math.Round(value, 1);
}
