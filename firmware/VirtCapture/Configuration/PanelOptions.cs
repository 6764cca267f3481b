namespace VirtCapture.Configuration;

/// <summary>The <c>Panel</c> section.</summary>
public sealed class PanelOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Panel";

    /// <summary>Board definition in hardware/boards ("sim" for the simulated board).</summary>
    public string Board { get; set; } = "sim";

    /// <summary>Minutes before a MARK that the ring keeps, whatever its limits.</summary>
    public int MarkProtectMinutes { get; set; } = 10;

    /// <summary>Seconds START/STOP is held for a safe stop.</summary>
    public double HoldSeconds { get; set; } = 3;

    /// <summary>Contact bounce ignored after an edge, in milliseconds.</summary>
    public int DebounceMs { get; set; } = 30;
}
