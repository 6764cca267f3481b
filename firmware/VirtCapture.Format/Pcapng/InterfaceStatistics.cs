namespace VirtCapture.Format.Pcapng;

/// <summary>The counters of one interface statistics block (all cumulative since the capture started).</summary>
/// <param name="StartTimeNs">isb_starttime.</param>
/// <param name="Received">isb_ifrecv: frames the interface received.</param>
/// <param name="InterfaceDropped">isb_ifdrop: frames the interface dropped.</param>
/// <param name="FilterAccepted">isb_filteraccept: frames the capture filter accepted.</param>
/// <param name="OsDropped">isb_osdrop: frames the kernel dropped.</param>
/// <param name="UserDelivered">isb_usrdeliv: frames stored.</param>
/// <param name="Comment">opt_comment, or null.</param>
public readonly record struct InterfaceStatistics(
    long StartTimeNs,
    long Received,
    long InterfaceDropped,
    long FilterAccepted,
    long OsDropped,
    long UserDelivered,
    string? Comment);
