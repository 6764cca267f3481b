using VirtCapture.Hal.Frames;

namespace VirtCapture.Collector;

/// <summary>Finds the mirror sessions in a frame source (a capture file), in the order they first appear.</summary>
internal static class MirrorSessionScan
{
    /// <summary>Reads <paramref name="source"/> to its end.</summary>
    public static (IReadOnlyList<MirrorSession> Sessions, MirrorCounters Counters) Scan(IFrameSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var sessions = new List<MirrorSession>();
        var seen = new HashSet<MirrorSession>();
        var counters = new MirrorCounters();
        while (source.ReadBatch(out var batch, TimeSpan.FromSeconds(1)) is var result && result != BatchResult.EndOfInput)
        {
            if (result != BatchResult.Frames)
            {
                continue;
            }

            foreach (ref readonly var frame in batch.Frames)
            {
                if (MirrorDecapsulator.Decode(batch.Bytes(frame), out var packet) != MirrorDecodeStatus.Mirrored)
                {
                    counters.Count(packet);
                    continue;
                }

                var session = MirrorSession.Of(packet);
                if (seen.Add(session))
                {
                    sessions.Add(session);
                }
            }
        }

        return (sessions, counters);
    }
}
