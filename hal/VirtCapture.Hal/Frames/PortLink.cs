namespace VirtCapture.Hal.Frames;

/// <summary>The link state of one capture port.</summary>
/// <param name="Up">Carrier present and the interface up.</param>
/// <param name="SpeedMbps">Link speed in Mb/s, or 0 when unknown.</param>
/// <param name="Changes">How many times the link went down or up since the capture started.</param>
public readonly record struct PortLink(bool Up, int SpeedMbps, long Changes)
{
    /// <summary>The state of a port with no physical link (a file, the simulated board).</summary>
    public static PortLink AlwaysUp { get; } = new(true, 0, 0);
}
