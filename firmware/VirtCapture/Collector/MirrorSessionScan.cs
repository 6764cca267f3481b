using VirtCapture.Hal.Frames;

namespace VirtCapture.Collector;

/// <summary>Finds the mirror sessions in a frame source (a capture file), in the order they first appear.</summary>
internal static class MirrorSessionScan
{
    /// <summary>Reads <paramref name="source"/> to its end, as the collector would with no session listed.</summary>
    public static (IReadOnlyList<MirrorSession> Sessions, MirrorCounters Counters) Scan(IFrameSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var sessions = new DecapsulatingFrameSource(source, [], maxSessions: Hal.Replay.PcapngFormat.MaxInterfaces);
        while (sessions.ReadBatch(out _, TimeSpan.FromSeconds(1)) != BatchResult.EndOfInput)
        {
        }

        return (sessions.Sessions, sessions.Counters);
    }
}
