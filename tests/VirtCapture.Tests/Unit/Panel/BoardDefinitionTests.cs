using System.Text.RegularExpressions;
using VirtCapture.Panel;

namespace VirtCapture.Tests.Unit.Panel;

/// <summary>The board files and the wiring table in hardware/README.md cannot drift apart.</summary>
public sealed partial class BoardDefinitionTests
{
    private static readonly string Repository = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));

    [Theory]
    [InlineData("sim")]
    [InlineData("cm4-dual")]
    public void Every_board_defines_every_led_and_button(string board)
    {
        var definition = BoardDefinition.Load(board);
        Assert.Equal(7, definition.Leds.Count);
        Assert.Equal(2, definition.Buttons.Count);
        var lines = definition.Leds.Values.Concat(definition.Buttons.Values).Select(l => (l.Chip, l.Line)).ToArray();
        Assert.Equal(lines.Length, lines.Distinct().Count());
    }

    [Fact]
    public void The_reference_board_wiring_table_matches_its_json()
    {
        var board = BoardDefinition.Load("cm4-dual", Path.Combine(Repository, "hardware/boards"));
        var readme = File.ReadAllText(Path.Combine(Repository, "hardware/README.md"));
        var rows = WiringRow().Matches(readme).ToDictionary(m => m.Groups["name"].Value, m => m);
        foreach (var (name, line) in board.Leds.Concat(board.Buttons))
        {
            Assert.True(rows.TryGetValue(name, out var row), $"hardware/README.md has no wiring row for {name}");
            Assert.Equal(line.HeaderPin.ToString(System.Globalization.CultureInfo.InvariantCulture), row.Groups["pin"].Value);
            Assert.Equal($"GPIO{line.Line}", row.Groups["gpio"].Value);
            Assert.Equal(line.ActiveLow ? "low" : "high", row.Groups["active"].Value);
            Assert.Equal(line.Resistor, row.Groups["resistor"].Value);
            Assert.Equal(line.Colour.Length == 0 ? "-" : line.Colour, row.Groups["colour"].Value);
        }

        Assert.Equal(board.Leds.Count + board.Buttons.Count, rows.Count);
    }

    [Fact]
    public void An_unknown_board_is_one_line_naming_the_known_ones()
    {
        var error = Assert.Throws<UserErrorException>(() => BoardDefinition.Load("toaster"));
        Assert.Equal("Panel:Board 'toaster' is not defined (boards: cm4-dual, sim)", error.Message);
    }

    [GeneratedRegex(@"^\| (?<name>[A-Z-]+) \| (?<pin>\d+) \| (?<gpio>GPIO\d+) \| (?<active>high|low) \| (?<resistor>[^|]+?) \| (?<colour>[^|]+?) \|", RegexOptions.Multiline)]
    private static partial Regex WiringRow();
}
