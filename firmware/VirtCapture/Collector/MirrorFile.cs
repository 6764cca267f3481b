using VirtCapture.Hal.Frames;
using VirtCapture.Hal.Replay;

namespace VirtCapture.Collector;

/// <summary>A capture file of raw mirror traffic, read as its sessions (<c>capture --decap</c>, <c>inventory --decap</c>).</summary>
internal static class MirrorFile
{
    /// <summary>
    /// A file of raw mirror traffic as its sessions: found by a first pass, each an interface. A file without mirror
    /// traffic is a one-line user error.
    /// </summary>
    public static DecapsulatingFrameSource Decapsulate(string input, IFrameSource source, TimeSpan dedupWindow = default, IReadOnlyList<MirrorSession>? only = null)
    {
        if (only is { Count: > 0 })
        {
            return new DecapsulatingFrameSource(source, only, dedupWindow: dedupWindow);
        }

        IReadOnlyList<MirrorSession> sessions;
        MirrorCounters found;
        try
        {
            using var scan = new ReplayFrameSource(input);
            (sessions, found) = MirrorSessionScan.Scan(scan);
        }
        catch (CaptureFileFormatException)
        {
            // The second pass reports the damage after recording what came before it; take the sessions before it.
            sessions = [];
            found = new MirrorCounters();
        }

        if (sessions.Count == 0)
        {
            source.Dispose();
            throw new UserErrorException($"-r {input}: no mirror traffic (ERSPAN, GRE, VXLAN on {MirrorDecapsulator.VxlanPort} or {MirrorDecapsulator.LinuxVxlanPort}, Geneve on {MirrorDecapsulator.GenevePort}) in it: {found.NotMirror} other frames, {found.Malformed} damaged");
        }

        return new DecapsulatingFrameSource(source, sessions, dedupWindow: dedupWindow);
    }

    /// <summary>Sessions named on the command line, each KIND-ID@SOURCE; a wrong one is a one-line error naming it.</summary>
    public static IReadOnlyList<MirrorSession> Sessions(IEnumerable<string> names, string option) =>
        [.. names.Select(n => MirrorSession.TryParse(n, out var session) ? session
            : throw new UserErrorException($"{option} {n}: not KIND-ID@SOURCE with KIND one of erspan1, erspan2, erspan3, gre, vxlan, geneve and SOURCE an address or any"))];
}
