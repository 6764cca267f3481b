namespace VirtCapture.Triggers;

/// <summary>A rule fired: at the frame time <paramref name="TimestampNs"/>, on <paramref name="Port"/> (-1 for a box event).</summary>
/// <param name="Rule">The rule.</param>
/// <param name="TimestampNs">The triggering frame's time, or the event's.</param>
/// <param name="Port">The triggering frame's interface, or -1.</param>
/// <param name="Detail">For an event trigger, the event's own line.</param>
public sealed record TriggerFire(TriggerRule Rule, long TimestampNs, int Port, string? Detail = null);
