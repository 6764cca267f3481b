namespace VirtCapture.Fleet;

/// <summary>The box's clock, for merging captures of many boxes: the kernel's synchronisation state and its source.</summary>
/// <param name="Synchronized">The kernel says the clock is synchronised (adjtimex without STA_UNSYNC).</param>
/// <param name="EstimatedErrorMicroseconds">The kernel's estimated error.</param>
/// <param name="Source">chrony, systemd-timesyncd, ntpd, ptp4l, or none found.</param>
public sealed record ClockStatus(bool Synchronized, long EstimatedErrorMicroseconds, string Source);
