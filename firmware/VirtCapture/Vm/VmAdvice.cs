namespace VirtCapture.Vm;

/// <summary>Retention capturing one VM alone.</summary>
/// <param name="Mac">The VM.</param>
/// <param name="Family">Its hypervisor.</param>
/// <param name="RetentionHours">Hours the ring would hold.</param>
public sealed record VmAdvice(string Mac, string Family, double RetentionHours);
