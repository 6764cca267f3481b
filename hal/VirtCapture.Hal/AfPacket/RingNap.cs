namespace VirtCapture.Hal.AfPacket;

/// <summary>
/// How long the capture thread sleeps between looks at a port's ring while frames flow: as long as the ring can hold
/// what the link delivers meanwhile. Every wake-up costs the capture process CPU of its own (on the 2-vCPU VM of make
/// bench-live, 50 µs of accounted CPU for a bare 8 ms sleep, and the caches it comes back to are colder), so fewer,
/// longer naps are cheaper per frame; what limits them is a ring that must not overflow while the thread sleeps.
/// </summary>
internal static class RingNap
{
    /// <summary>The longest nap: bounds how late a trigger, a frame limit or STOP acts on a frame.</summary>
    public const int MaxMilliseconds = 32;

    /// <summary>The link speed assumed where the interface reports none (a veth, a link still down): 10 Gb/s.</summary>
    public const int UnknownSpeedMbps = 10_000;

    // A minimum-size frame in the ring: 60 bytes behind TPACKET_V3's 48-byte header, the 20-byte sockaddr_ll and the
    // alignment to 16 (tp_mac at 82), so each takes 144 bytes; on the wire it takes 84 (preamble and gap included).
    private const int SmallestFrameSlot = 144;
    private const int SmallestFrameOnWire = 84;

    // The share of the ring a nap's worth of line-rate smallest frames may fill: the other half absorbs the time the
    // thread takes to drain it after waking. (A longer nap was cheaper still, 0.7 of the ring: 14.3 against 15.7 ms/100k,
    // but each wake-up then brought the writer bursts big enough to need a third buffer segment: 1 MB more peak RSS.)
    private const double RingShare = 0.5;

    /// <summary>The nap for a ring of <paramref name="ringBytes"/> fed by a link of <paramref name="speedMbps"/>.</summary>
    /// <param name="ringBytes">Size of the port's ring.</param>
    /// <param name="speedMbps">The link's speed; 0 or less when unknown (<see cref="UnknownSpeedMbps"/> is assumed).</param>
    /// <returns>Whole milliseconds, 1 to <see cref="MaxMilliseconds"/>.</returns>
    public static int Milliseconds(long ringBytes, int speedMbps)
    {
        var framesPerSecond = (speedMbps > 0 ? speedMbps : UnknownSpeedMbps) * 1e6 / (SmallestFrameOnWire * 8);
        var ringBytesPerMs = framesPerSecond * SmallestFrameSlot / 1000;
        return (int)Math.Clamp(Math.Floor(ringBytes * RingShare / ringBytesPerMs), 1, MaxMilliseconds);
    }
}
