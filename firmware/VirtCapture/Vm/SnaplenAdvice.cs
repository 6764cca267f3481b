namespace VirtCapture.Vm;

/// <summary>Retention at one snaplen.</summary>
/// <param name="Snaplen">The snaplen.</param>
/// <param name="RetentionHours">Hours the ring would hold.</param>
public sealed record SnaplenAdvice(int Snaplen, double RetentionHours);
