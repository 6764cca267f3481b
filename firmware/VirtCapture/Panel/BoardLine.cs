namespace VirtCapture.Panel;

/// <summary>One GPIO line of a board: a LED or a button.</summary>
public sealed class BoardLine
{
    /// <summary>GPIO chip (gpiochipN).</summary>
    public int Chip { get; set; }

    /// <summary>Line number on the chip.</summary>
    public int Line { get; set; }

    /// <summary>Lit or pressed when the line is low.</summary>
    public bool ActiveLow { get; set; }

    /// <summary>Header pin, for the wiring table.</summary>
    public int HeaderPin { get; set; }

    /// <summary>Series resistor (LEDs), for the wiring table.</summary>
    public string Resistor { get; set; } = string.Empty;

    /// <summary>Colour (LEDs), for the wiring table.</summary>
    public string Colour { get; set; } = string.Empty;

    /// <summary>What it is for.</summary>
    public string Purpose { get; set; } = string.Empty;
}
