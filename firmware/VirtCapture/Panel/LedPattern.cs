namespace VirtCapture.Panel;

/// <summary>How a LED shows a state.</summary>
public enum LedPattern
{
    /// <summary>Dark.</summary>
    Off,

    /// <summary>Lit.</summary>
    Steady,

    /// <summary>1 Hz.</summary>
    SlowBlink,

    /// <summary>4 Hz.</summary>
    FastBlink,

    /// <summary>Irregular, with traffic (like a switch port's activity LED).</summary>
    Flicker,
}
