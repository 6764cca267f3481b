using System.Text.Json;

namespace VirtCapture.Panel;

/// <summary>A board's panel wiring, from <c>hardware/boards/NAME.json</c>: the one source of truth.</summary>
public sealed class BoardDefinition
{

    /// <summary>Board name (the file name).</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>What the board is.</summary>
    public string Description { get; set; } = string.Empty;

    /// <summary>"simulated" or "libgpiod".</summary>
    public string Driver { get; set; } = "libgpiod";

    /// <summary>LEDs by panel name (POWER, CAPTURE, LINK-A, LINK-B, DROP, STORAGE, FAULT).</summary>
    public Dictionary<string, BoardLine> Leds { get; set; } = [];

    /// <summary>Buttons by name (START-STOP, MARK).</summary>
    public Dictionary<string, BoardLine> Buttons { get; set; } = [];

    /// <summary>Panel name of a LED.</summary>
    public static string NameOf(Led led) => led switch
    {
        Led.LinkA => "LINK-A",
        Led.LinkB => "LINK-B",
        _ => led.ToString().ToUpperInvariant(),
    };

    /// <summary>The directory of the board files shipped with the firmware.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "boards");

    /// <summary>Loads a board; the error names the board and the ones that exist.</summary>
    /// <exception cref="UserErrorException">Unknown board, or a board file missing a LED or button.</exception>
    public static BoardDefinition Load(string name, string? directory = null)
    {
        directory ??= Directory;
        var path = Path.Combine(directory, name + ".json");
        if (!File.Exists(path))
        {
            var known = System.IO.Directory.Exists(directory) ? string.Join(", ", System.IO.Directory.GetFiles(directory, "*.json").Select(Path.GetFileNameWithoutExtension).Order()) : "none";
            throw new UserErrorException($"Panel:Board '{name}' is not defined (boards: {known})");
        }

        var board = JsonSerializer.Deserialize(File.ReadAllText(path), Management.Contracts.FirmwareJsonContext.Default.BoardDefinition) ?? throw new UserErrorException($"{path} is empty");
        board.Name = name;
        foreach (var led in Enum.GetValues<Led>())
        {
            if (!board.Leds.ContainsKey(NameOf(led)))
            {
                throw new UserErrorException($"{path} defines no line for the {NameOf(led)} LED");
            }
        }

        foreach (var button in new[] { "START-STOP", "MARK" })
        {
            if (!board.Buttons.ContainsKey(button))
            {
                throw new UserErrorException($"{path} defines no line for the {button} button");
            }
        }

        return board;
    }
}
