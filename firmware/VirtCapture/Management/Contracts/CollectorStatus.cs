namespace VirtCapture.Management.Contracts;

/// <summary>What the mirror-session collector met besides the sessions' frames (GET /api/status).</summary>
/// <param name="NotMirror">Frames to the collector that were not mirror traffic.</param>
/// <param name="Malformed">Mirror traffic too damaged to read.</param>
/// <param name="FirstProblem">The first damage met, or null.</param>
/// <param name="Fragments">Outer IP fragments received.</param>
/// <param name="Reassembled">Outer IPv4 datagrams made whole from their fragments.</param>
/// <param name="ReassemblyGivenUp">Outer datagrams whose fragments never all came (timed out, pushed out, not fitting; IPv6 fragments are not reassembled).</param>
/// <param name="Unlisted">Frames of sessions not in Capture:Collector:Sessions.</param>
/// <param name="Lost">Frames the sessions' GRE sequence numbers show were lost before the box.</param>
/// <param name="Sessions">Each session recorded, with its own counters, in interface order.</param>
public sealed record CollectorStatus(long NotMirror, long Malformed, string? FirstProblem, long Fragments, long Reassembled, long ReassemblyGivenUp, long Unlisted, long Lost, IReadOnlyList<MirrorSessionStatus> Sessions);
