namespace VirtCapture.Management.Contracts;

/// <summary>A port's link in the status.</summary>
public sealed record LinkStatus(bool Up, int SpeedMbps, long Changes);
