namespace VirtCapture.Collector;

/// <summary>
/// Which time a mirrored frame is recorded with: the switch's own timestamp where it is a clock (ERSPAN III in IEEE
/// 1588 granularity with the upper bits in a platform sub-header: seconds and nanoseconds), the arrival at the box
/// otherwise. The 100 µs and 100 ns granularities are free-running counters with no epoch, and a 1588 time that
/// disagrees with the box's clock by more than <see cref="Tolerance"/> is not trusted either.
/// </summary>
internal static class MirrorClock
{
    /// <summary>How far the switch's clock may be from the box's before the arrival time is used instead.</summary>
    public const long Tolerance = 2_000_000_000;

    // PTP runs on TAI, 37 s ahead of UTC since 2017; some switches send UTC in the 1588 format instead. Both are tried.
    private const long TaiMinusUtc = 37_000_000_000;

    /// <summary>The switch's time of the frame in ns since the epoch (UTC), when it sent a usable one.</summary>
    public static bool TrySwitchTime(in MirrorPacket packet, long arrivalNs, out long timeNs)
    {
        timeNs = arrivalNs;
        var nanoseconds = (uint)packet.Timestamp;
        if (packet.Encapsulation != MirrorEncapsulation.ErspanIII || packet.Granularity != 2 || !packet.HasUpperTimestamp || nanoseconds >= 1_000_000_000)
        {
            return false;
        }

        var switchNs = ((long)(packet.Timestamp >> 32) * 1_000_000_000) + nanoseconds;
        foreach (var candidate in (ReadOnlySpan<long>)[switchNs - TaiMinusUtc, switchNs])
        {
            if (Math.Abs(candidate - arrivalNs) <= Tolerance)
            {
                timeNs = candidate;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// An ERSPAN III session's interface description says which time its frames carry: known from its first frame
    /// when the session is found, both possibilities when it was listed before any frame came.
    /// </summary>
    public static string Describe(MirrorSession session, bool? switchTimes) => session.Encapsulation != MirrorEncapsulation.ErspanIII
        ? session.Description
        : session.Description + switchTimes switch
        {
            true => " (times: the switch's IEEE 1588 clock)",
            false => " (times: arrival at the box)",
            null => " (times: the switch's IEEE 1588 clock where it sends one, else arrival at the box)",
        };
}
