namespace VirtCapture.Pcapng;

/// <summary>The counters of one interface statistics block (all cumulative since the capture started).</summary>
internal readonly record struct InterfaceStatistics(
    long StartTimeNs,
    long Received,
    long InterfaceDropped,
    long FilterAccepted,
    long OsDropped,
    long UserDelivered,
    string? Comment);
