using System.Runtime.CompilerServices;

namespace VirtCapture.Format.Pcapng;

/// <summary>
/// The times of a run of frames as a walk of their file finds them: the first frame's time, where a frame stamped 0
/// (no time) does not count as first, and the newest frame's time. Every tally that must equal a walk of the file (a
/// buffer segment, a ring file, the catalog's scan, the repair's scan) adds its frames here, so the rule has one owner.
/// </summary>
public struct PcapngFrameTimes
{
    /// <summary>The first frame's time, in ns since the epoch; 0 before a stamped frame.</summary>
    public long FirstNs { readonly get; private set; }

    /// <summary>The newest frame's time, in ns since the epoch (frames may come out of order); 0 before any.</summary>
    public long NewestNs { readonly get; private set; }

    /// <summary>Adds a frame stamped <paramref name="timestampNs"/>.</summary>
    /// <param name="timestampNs">The frame's time, ns since the epoch.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(long timestampNs)
    {
        if (FirstNs == 0)
        {
            FirstNs = timestampNs;
        }

        if (timestampNs > NewestNs)
        {
            NewestNs = timestampNs;
        }
    }

    /// <summary>Adds the frames of a run that came after these (the next segment of the same file).</summary>
    /// <param name="later">The later run's times.</param>
    public void Add(in PcapngFrameTimes later)
    {
        if (FirstNs == 0)
        {
            FirstNs = later.FirstNs;
        }

        NewestNs = Math.Max(NewestNs, later.NewestNs);
    }
}
