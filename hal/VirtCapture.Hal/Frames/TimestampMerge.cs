namespace VirtCapture.Hal.Frames;

/// <summary>
/// Chooses which port's next frame goes first when several ports are merged into one time-ordered stream. A port
/// with nothing buffered may still deliver an older frame (its kernel block not retired yet), so while any port is
/// empty only frames older than the reorder horizon are released: the window is bounded, the order exact within it.
/// </summary>
public static class TimestampMerge
{
    /// <summary>Sentinel for a port with no buffered frame.</summary>
    public const long Empty = long.MaxValue;

    /// <summary>The port whose head frame is oldest and may go now, or -1.</summary>
    /// <param name="heads">Timestamp of each port's next frame, or <see cref="Empty"/>.</param>
    /// <param name="horizonNs">Frames at or before this time may go even while another port is empty.</param>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static int Pick(ReadOnlySpan<long> heads, long horizonNs)
    {
        var best = -1;
        var bestTs = Empty;
        var anyEmpty = false;
        for (var p = 0; p < heads.Length; p++)
        {
            if (heads[p] == Empty)
            {
                anyEmpty = true;
            }
            else if (heads[p] < bestTs)
            {
                bestTs = heads[p];
                best = p;
            }
        }

        return best >= 0 && (!anyEmpty || bestTs <= horizonNs) ? best : -1;
    }

    /// <summary>
    /// Puts a batch back in time order where one port's own frames are not. The kernel stamps a frame on the CPU that
    /// takes it in and files it in the ring later; a frame taken in on another CPU at the same moment (an RSS queue, a
    /// frame the kernel sent from a timer) can be filed a few microseconds after newer ones, and tcpdump writes them
    /// so. Frames with equal times keep their order. One pass of comparisons when the batch is already in order.
    /// </summary>
    /// <returns>How many frames moved.</returns>
    public static int RestoreOrder(Span<FrameRecord> frames)
    {
        var moved = 0;
        for (var i = 1; i < frames.Length; i++)
        {
            if (frames[i].TimestampNs >= frames[i - 1].TimestampNs)
            {
                continue;
            }

            var late = frames[i];
            var j = i - 1;
            while (j >= 0 && frames[j].TimestampNs > late.TimestampNs)
            {
                frames[j + 1] = frames[j];
                j--;
            }

            frames[j + 1] = late;
            moved++;
        }

        return moved;
    }
}
