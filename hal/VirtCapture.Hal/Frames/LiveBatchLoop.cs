using System.Diagnostics;

namespace VirtCapture.Hal.Frames;

/// <summary>
/// The read loop both live sources share: take what the ports have, merge it in time order, and wait until the
/// deadline. A port that holds frames back for the merge window is looked at again within 5 ms, so the window, not
/// the timeout, bounds how late a frame is handed on.
/// </summary>
internal static class LiveBatchLoop
{
    private const int HoldingRecheckMs = 5;

    /// <summary>The number of frames merged into the batch, or 0 when the timeout passed with none.</summary>
    public static int Run<TRing>(TRing ring, TimeSpan timeout)
        where TRing : ILiveRing
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            ring.Refill();
            var count = ring.Merge();
            if (count > 0)
            {
                return count;
            }

            var remaining = deadline - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return 0;
            }

            var remainingMs = (int)Math.Max(1, remaining * 1000 / Stopwatch.Frequency);
            ring.Wait(ring.Holding ? Math.Min(remainingMs, HoldingRecheckMs) : remainingMs);
        }
    }
}
