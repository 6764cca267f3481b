namespace VirtCapture.Panel;

/// <summary>Everything the LEDs depend on, gathered in one place from the firmware's state.</summary>
/// <param name="Ready">Start-up finished.</param>
/// <param name="SafeToUnplug">A safe stop finished: every file closed, fsync'd and renamed.</param>
/// <param name="Capture">The capture's activity.</param>
/// <param name="PortA">Port A, or null when there is no capture to ask.</param>
/// <param name="PortB">Port B, or null.</param>
/// <param name="RecentDrop">A frame was dropped (anywhere) in the last 10 s.</param>
/// <param name="StorageUsedPercent">How full the capture disk is.</param>
/// <param name="StorageFull">The disk is below its free-space floor, or the OnFull policy stopped the capture.</param>
/// <param name="Fault">Something needs a person: libpcap missing, a disk write error, no ports.</param>
public sealed record PanelState(
    bool Ready,
    bool SafeToUnplug,
    CaptureActivity Capture,
    PortView? PortA,
    PortView? PortB,
    bool RecentDrop,
    double StorageUsedPercent,
    bool StorageFull,
    bool Fault);
