namespace VirtCapture.Management.Contracts;

/// <summary>One mirror session the collector records (GET /api/status, <c>collector.sessions</c>).</summary>
/// <param name="Interface">Its pcapng interface (and port) name: KIND-ID@SOURCE.</param>
/// <param name="Description">"ERSPAN III session 12 from 10.0.0.5".</param>
/// <param name="Frames">Mirrored frames received.</param>
/// <param name="Bytes">Their bytes as mirrored.</param>
/// <param name="Truncated">Frames the sender cut.</param>
/// <param name="Lost">Frames its GRE sequence numbers show were lost before the box.</param>
/// <param name="Malformed">Its packets too damaged past the session header to record.</param>
/// <param name="BsoErrors">ERSPAN III frames the switch flagged bad, short or oversized.</param>
/// <param name="Duplicates">Second copies within Capture:Collector:DedupWindowMs: counted, not recorded.</param>
public sealed record MirrorSessionStatus(string Interface, string Description, long Frames, long Bytes, long Truncated, long Lost, long Malformed, long BsoErrors, long Duplicates);
