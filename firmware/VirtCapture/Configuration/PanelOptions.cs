namespace VirtCapture.Configuration;

/// <summary>The <c>Panel</c> section.</summary>
public sealed class PanelOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Panel";

    /// <summary>Board definition in hardware/boards ("sim" for the simulated board).</summary>
    public string Board { get; set; } = "sim";
}
