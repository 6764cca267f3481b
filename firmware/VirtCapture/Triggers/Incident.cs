namespace VirtCapture.Triggers;

/// <summary>
/// One incident: the frames of [trigger − pre, trigger + post] of one rule, kept in <c>incidents/NAME.pcapng</c>. Its
/// record (<c>NAME.json</c>) is written when the rule fires, before anything else, so that a power cut while it is
/// pending or being written leaves what the restart needs to complete it.
/// </summary>
/// <param name="Name">The file name without extension: incident-UTC TIME-RULE.</param>
/// <param name="Rule">The rule's name.</param>
/// <param name="Description">What the rule does, in the comment's words.</param>
/// <param name="TriggerNs">The triggering frame's (or event's) time.</param>
/// <param name="Port">The triggering frame's interface, or -1 for an event.</param>
/// <param name="FromNs">First instant kept.</param>
/// <param name="ToNs">Last instant kept.</param>
/// <param name="FirstHeldSequence">The oldest ring file held for it: that one and every later one stay until it is complete.</param>
/// <param name="Detail">An event trigger's event.</param>
/// <param name="Complete">True once the file is whole.</param>
/// <param name="Frames">Frames in the file, once complete.</param>
/// <param name="Note">Why it is shorter than asked (the capture stopped, the box restarted), if it is.</param>
public sealed record Incident(
    string Name,
    string Rule,
    string Description,
    long TriggerNs,
    int Port,
    long FromNs,
    long ToNs,
    long FirstHeldSequence,
    string? Detail,
    bool Complete,
    long Frames,
    string? Note)
{
    /// <summary>The trigger time as a date.</summary>
    public DateTimeOffset TriggerTime => DateTimeOffset.UnixEpoch.AddTicks(TriggerNs / 100);
}
