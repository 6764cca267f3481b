using Microsoft.Extensions.Logging;

namespace VirtCapture;

/// <summary>Every log line of the firmware, with stable event ids (1xxx capture, 2xxx storage, 3xxx repair, 9xxx host).</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Capture started: source {Source}, ports {Ports}, filter '{Filter}'")]
    public static partial void CaptureStarted(ILogger logger, string source, string ports, string filter);

    [LoggerMessage(1001, LogLevel.Information, "Capture stopped: {Summary}")]
    public static partial void CaptureStopped(ILogger logger, string summary);

    [LoggerMessage(1002, LogLevel.Information, "Port {Port}: received {Received}, kernel dropped {KernelDropped}, filtered out {Filtered}, accepted {Accepted}, buffer dropped {BufferDropped}, written {Written}")]
    public static partial void PortCounters(ILogger logger, string port, long received, long kernelDropped, long filtered, long accepted, long bufferDropped, long written);

    [LoggerMessage(1003, LogLevel.Warning, "Capture buffer full: frames are being dropped and counted (disk slower than the traffic)")]
    public static partial void BufferFull(ILogger logger);

    [LoggerMessage(1004, LogLevel.Error, "Capture failed: {Reason}")]
    public static partial void CaptureFailed(ILogger logger, string reason);

    [LoggerMessage(1005, LogLevel.Warning, "Link {State} on {Port}{Detail}")]
    public static partial void LinkChanged(ILogger logger, string state, string port, string detail);

    [LoggerMessage(1006, LogLevel.Information, "Ports ready: {Mode} mode, {Ports}, bridge {Bridge}")]
    public static partial void PortsReady(ILogger logger, string mode, string ports, string bridge);

    [LoggerMessage(1007, LogLevel.Information, "Created bridge {Bridge} (no address, STP off, forward delay 0); it stays when the firmware stops")]
    public static partial void BridgeCreated(ILogger logger, string bridge);

    [LoggerMessage(1008, LogLevel.Error, "Capture cannot start: {Reason}")]
    public static partial void CaptureCannotStart(ILogger logger, string reason);

    [LoggerMessage(1009, LogLevel.Warning, "Safe stop: every file in {Directory} is closed, fsync'd and renamed; the box may be unplugged")]
    public static partial void SafeToUnplug(ILogger logger, string directory);

    [LoggerMessage(1010, LogLevel.Information, "MARK {Number}: {Detail}")]
    public static partial void Marked(ILogger logger, int number, string detail);

    [LoggerMessage(9010, LogLevel.Information, "HTTPS certificate SHA-256 fingerprint {Fingerprint}")]
    public static partial void HttpsCertificate(ILogger logger, string fingerprint);

    [LoggerMessage(4000, LogLevel.Information, "panel: {Leds}")]
    public static partial void Panel(ILogger logger, string leds);

    [LoggerMessage(4001, LogLevel.Information, "Button {Button}: {Action}")]
    public static partial void Button(ILogger logger, string button, string action);

    [LoggerMessage(4002, LogLevel.Information, "Simulated board: press s for START/STOP, h to hold START/STOP (safe stop), m for MARK")]
    public static partial void SimulatedKeys(ILogger logger);

    [LoggerMessage(5000, LogLevel.Information, "{Text}")]
    public static partial void VmEvent(ILogger logger, string text);

    [LoggerMessage(2000, LogLevel.Information, "Closed {Path} ({Frames} frames)")]
    public static partial void FileClosed(ILogger logger, string path, long frames);

    [LoggerMessage(2001, LogLevel.Information, "Deleted {Path}: {Reason}")]
    public static partial void FileDeleted(ILogger logger, string path, string reason);

    [LoggerMessage(2002, LogLevel.Warning, "Ring full: {Reason}; {Action}")]
    public static partial void RingFull(ILogger logger, string reason, string action);

    [LoggerMessage(2003, LogLevel.Warning, "Could not delete {Path}: {Error}")]
    public static partial void DeleteFailed(ILogger logger, string path, string error);

    [LoggerMessage(2004, LogLevel.Error, "Could not write the statistics of {Path}: {Error}")]
    public static partial void StatisticsNotWritten(ILogger logger, string path, string error);

    [LoggerMessage(2005, LogLevel.Error, "fsync of {Path} failed: {Error}")]
    public static partial void SyncFailed(ILogger logger, string path, string error);

    [LoggerMessage(2006, LogLevel.Error, "Writing {Path} failed: {Error}; the file is kept up to its last whole block and the capture stops")]
    public static partial void WriteFailed(ILogger logger, string path, string error);

    [LoggerMessage(3000, LogLevel.Warning, "Repaired {Path} after an unclean stop: kept {Blocks} blocks ({Frames} frames), cut {CutBytes} damaged bytes, saved as {FinalPath}")]
    public static partial void Repaired(ILogger logger, string path, long blocks, long frames, long cutBytes, string finalPath);

    [LoggerMessage(3001, LogLevel.Warning, "Could not repair {Path}: {Reason}; left as {NewPath}")]
    public static partial void RepairFailed(ILogger logger, string path, string reason, string newPath);

    [LoggerMessage(3002, LogLevel.Information, "Removed {Path}: an empty leftover of an unclean stop")]
    public static partial void EmptyRemoved(ILogger logger, string path);

    [LoggerMessage(6000, LogLevel.Warning, "Mirror session {Session} ({Description}) arrives at the collector but is not {Why}")]
    public static partial void UnlistedSession(ILogger logger, string session, string description, string why);

    [LoggerMessage(6001, LogLevel.Information, "Mirror session moved: {Text}")]
    public static partial void SessionSenderChanged(ILogger logger, string text);

    [LoggerMessage(6002, LogLevel.Information, "Mirror session {Session} ({Description}) found: recorded as interface {Interface}")]
    public static partial void SessionFound(ILogger logger, string session, string description, int @interface);

    [LoggerMessage(7000, LogLevel.Information, "Fleet: connected to {Broker} ({When} time)")]
    public static partial void FleetConnected(ILogger logger, string broker, string when);

    [LoggerMessage(7001, LogLevel.Warning, "Fleet: broker {Broker} unreachable: {Reason}; the capture goes on, events wait (retrying)")]
    public static partial void FleetUnreachable(ILogger logger, string broker, string reason);

    [LoggerMessage(7002, LogLevel.Information, "Fleet: {Text}")]
    public static partial void FleetNote(ILogger logger, string text);

    [LoggerMessage(8000, LogLevel.Warning, "Trigger {Rule} fired at {Time:O}: incident {Incident} keeps {From:O} to {To:O}")]
    public static partial void TriggerFired(ILogger logger, string rule, DateTimeOffset time, string incident, DateTimeOffset from, DateTimeOffset to);

    [LoggerMessage(8001, LogLevel.Information, "Incident {Incident} complete: {Frames} frames{Note}")]
    public static partial void IncidentComplete(ILogger logger, string incident, long frames, string note);

    [LoggerMessage(8002, LogLevel.Error, "Incident {Incident} could not be written: {Reason}; its ring files stay held, it is tried again")]
    public static partial void IncidentFailed(ILogger logger, string incident, string reason);

    [LoggerMessage(8003, LogLevel.Warning, "Triggers not armed: {Reason}")]
    public static partial void TriggersNotArmed(ILogger logger, string reason);

    [LoggerMessage(8004, LogLevel.Information, "Capture stopped by its stop condition: {Reason}")]
    public static partial void StopConditionMet(ILogger logger, string reason);

    [LoggerMessage(9000, LogLevel.Information, "VirtCapture {Version} starting on board {Board}")]
    public static partial void Starting(ILogger logger, string version, string board);

    [LoggerMessage(9001, LogLevel.Information, "{Status}")]
    public static partial void Status(ILogger logger, string status);
}
