namespace VirtCapture.Collector;

/// <summary>One mirror session's own counters, for the status, the metrics and its file's interface statistics.</summary>
/// <param name="Frames">Mirrored frames received.</param>
/// <param name="Bytes">Their bytes as mirrored (the inner frames' captured lengths).</param>
/// <param name="Truncated">Frames the sender cut (ERSPAN's T bit, or a mirrored length beyond what arrived).</param>
/// <param name="Lost">Frames its GRE sequence numbers show were lost before the box.</param>
/// <param name="Malformed">Its packets too damaged past the session header to record.</param>
/// <param name="BsoErrors">ERSPAN III frames the source switch flagged bad, short or oversized (BSO).</param>
/// <param name="Duplicates">Second copies of a frame within the deduplication window: counted, not recorded.</param>
internal readonly record struct MirrorSessionCounters(long Frames, long Bytes, long Truncated, long Lost, long Malformed, long BsoErrors, long Duplicates = 0)
{
    /// <summary>One line for an interface statistics block's comment.</summary>
    public override string ToString() =>
        $"{Bytes} bytes mirrored, {Truncated} truncated by the sender, {Lost} lost before the box, {Malformed} malformed, {BsoErrors} flagged bad/short/oversized (ERSPAN BSO), {Duplicates} duplicates not recorded";
}
