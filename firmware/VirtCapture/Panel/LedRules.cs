namespace VirtCapture.Panel;

/// <summary>
/// The one place where LED patterns come from: a pure function of <see cref="PanelState"/>. The README's LED
/// table is this function in words.
/// </summary>
public static class LedRules
{
    /// <summary>STORAGE lights from this share of the disk used.</summary>
    public const double StorageWarnPercent = 90;

    private static readonly int LedCount = Enum.GetValues<Led>().Length;

    /// <summary>The pattern of every LED, indexed by <see cref="Led"/>.</summary>
    public static LedPattern[] Derive(PanelState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var leds = new LedPattern[LedCount];
        leds[(int)Led.Power] = !state.Ready ? LedPattern.FastBlink : state.SafeToUnplug ? LedPattern.SlowBlink : LedPattern.Steady;
        leds[(int)Led.Capture] = state.Capture switch
        {
            CaptureActivity.Capturing => LedPattern.Steady,
            CaptureActivity.Stopping => LedPattern.FastBlink,
            _ => LedPattern.Off,
        };
        leds[(int)Led.LinkA] = Link(state.PortA);
        leds[(int)Led.LinkB] = Link(state.PortB);
        leds[(int)Led.Drop] = state.RecentDrop ? LedPattern.Steady : LedPattern.Off;
        leds[(int)Led.Storage] = state.StorageFull ? LedPattern.FastBlink : state.StorageUsedPercent >= StorageWarnPercent ? LedPattern.Steady : LedPattern.Off;
        leds[(int)Led.Fault] = state.Fault ? LedPattern.Steady : LedPattern.Off;
        return leds;
    }

    /// <summary>Whether a LED with <paramref name="pattern"/> is lit at <paramref name="elapsedMs"/> into its cycle.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <param name="elapsedMs">Milliseconds since the panel started.</param>
    /// <param name="flickerBit">A changing bit from the traffic, for <see cref="LedPattern.Flicker"/>.</param>
    public static bool IsLit(LedPattern pattern, long elapsedMs, bool flickerBit) => pattern switch
    {
        LedPattern.Steady => true,
        LedPattern.SlowBlink => elapsedMs / 500 % 2 == 0,
        LedPattern.FastBlink => elapsedMs / 125 % 2 == 0,
        LedPattern.Flicker => flickerBit,
        _ => false,
    };

    private static LedPattern Link(PortView? port) =>
        port is not { Up: true } ? LedPattern.Off : port.Value.Traffic ? LedPattern.Flicker : LedPattern.Steady;
}
