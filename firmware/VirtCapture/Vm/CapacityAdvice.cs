namespace VirtCapture.Vm;

/// <summary>The ring's estimated retention and what would change it.</summary>
/// <param name="FramesPerSecond">Recent rate.</param>
/// <param name="BytesPerFrame">Average frame size.</param>
/// <param name="UsableBytes">What the ring may fill (free space above the floor plus the ring's own files).</param>
/// <param name="RetentionHours">How long the ring holds now (-1: indefinitely).</param>
/// <param name="TargetHours">The target (<c>Vm:TargetRetentionHours</c>).</param>
/// <param name="Advice">One sentence.</param>
/// <param name="Snaplens">Retention at smaller snaplens.</param>
/// <param name="Vms">Retention capturing only one of the busiest VMs.</param>
public sealed record CapacityAdvice(double FramesPerSecond, double BytesPerFrame, long UsableBytes, double RetentionHours, double TargetHours, string Advice, IReadOnlyList<SnaplenAdvice> Snaplens, IReadOnlyList<VmAdvice> Vms);
