using VirtCapture.Panel;

namespace VirtCapture.Daemon;

/// <summary>
/// The box at one instant, made in one place (<see cref="CaptureService.Snapshot"/>) and read by everything that
/// shows it: the API's status, the front panel, the Prometheus metrics and the console line. Nobody else reads the
/// pipeline's counters, the links or the disk for display.
/// </summary>
/// <param name="Activity">Capturing, stopping or idle.</param>
/// <param name="Fault">What needs a person, if anything.</param>
/// <param name="SafeToUnplug">After a safe stop, until the next start.</param>
/// <param name="RingStopped">The ring stopped itself (OnFull=Stop, or nothing left to delete).</param>
/// <param name="RingStopReason">Why it stopped.</param>
/// <param name="CurrentFile">The file being written (its name), if any.</param>
/// <param name="BytesWritten">Bytes written by the running capture.</param>
/// <param name="Session">The running capture (an identity: counters restart with each), or null.</param>
/// <param name="Ports">Each port of the running capture.</param>
/// <param name="DiskFree">Free bytes of the capture disk (0 when it cannot be measured).</param>
/// <param name="Collector">The mirror-session collector's counts, when the capture is one.</param>
/// <param name="DiskTotal">Size of the capture disk (0 when it cannot be measured).</param>
internal sealed record BoxSnapshot(
    CaptureActivity Activity,
    string? Fault,
    bool SafeToUnplug,
    bool RingStopped,
    string? RingStopReason,
    string? CurrentFile,
    long BytesWritten,
    object? Session,
    IReadOnlyList<PortSnapshot> Ports,
    long DiskFree,
    long DiskTotal,
    Management.Contracts.CollectorStatus? Collector = null)
{
    /// <summary>Share of the disk in use, in percent.</summary>
    public double DiskUsedPercent => DiskTotal <= 0 ? 0 : 100.0 * (DiskTotal - DiskFree) / DiskTotal;
}
