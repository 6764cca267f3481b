namespace VirtCapture.Vm;

/// <summary>
/// How long the ring holds at the current rate, and what snaplen or VM selection would keep a target retention.
/// Estimates from the recent rates: frames per second and their average captured size.
/// </summary>
internal static class CapacityAdvisor
{
    private const int PerFrameOverhead = 44; // EPB header, flags option and trailer
    private static readonly int[] CandidateSnaplens = [64, 128, 256, 512];

    public static CapacityAdvice Advise(double framesPerSecond, double bytesPerFrame, long usableBytes, int snaplen, double targetHours, IReadOnlyList<VmView> vms)
    {
        double Hours(double fps, double frameBytes) => fps <= 0 ? double.PositiveInfinity : usableBytes / (fps * (frameBytes + PerFrameOverhead)) / 3600;
        var current = Hours(framesPerSecond, Math.Min(bytesPerFrame, snaplen));
        var snaplens = CandidateSnaplens
            .Where(s => s < snaplen)
            .Select(s => new SnaplenAdvice(s, Round(Hours(framesPerSecond, Math.Min(bytesPerFrame, s)))))
            .ToArray();
        var busiest = vms.Where(v => !v.Gone && v.FramesPerSecond > 0).OrderByDescending(v => v.BytesPerSecond).Take(5)
            .Select(v => new VmAdvice(v.Mac, v.Family, Round(Hours(v.FramesPerSecond, Math.Min(v.BytesPerSecond / v.FramesPerSecond, snaplen)))))
            .ToArray();
        var best = snaplens.Where(s => s.RetentionHours >= targetHours).OrderByDescending(s => s.Snaplen).FirstOrDefault();
        var advice = double.IsInfinity(current) ? "no traffic: the ring holds indefinitely at the current rate"
            : current >= targetHours ? $"the ring holds about {Round(current)} h, more than the {targetHours} h target"
            : best is not null ? $"snaplen {best.Snaplen} keeps about {best.RetentionHours} h (target {targetHours} h)"
            : $"even snaplen 64 keeps only {snaplens.LastOrDefault()?.RetentionHours ?? Round(current)} h: select the VMs you need (Capture:Vms)";
        return new CapacityAdvice(Round(framesPerSecond), Round(bytesPerFrame), usableBytes, Round(current), targetHours, advice, snaplens, busiest);
    }

    private static double Round(double value) => double.IsInfinity(value) ? -1 : Math.Round(value, 1);
}
