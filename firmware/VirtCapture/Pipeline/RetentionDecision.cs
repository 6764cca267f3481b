namespace VirtCapture.Pipeline;

/// <summary>What the ring must do before it writes: go on, delete a file first, or stop.</summary>
/// <param name="Victim">The file to delete (then ask again), or null.</param>
/// <param name="StopReason">Why the ring must stop, or null.</param>
/// <param name="Reason">The limit that was reached, for the log; null when the ring may go on.</param>
internal sealed record RetentionDecision(RingFile? Victim, string? StopReason, string? Reason)
{
    /// <summary>Nothing to do.</summary>
    public static RetentionDecision Proceed { get; } = new(null, null, null);

    /// <summary>True when the ring may write.</summary>
    public bool MayProceed => Victim is null && StopReason is null;
}
