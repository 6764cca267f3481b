using System.Globalization;

namespace VirtCapture.Triggers;

/// <summary>The one reader of the durations a trigger or stop condition is written with: "90", "90s", "500ms", "2m", "1h".</summary>
internal static class Durations
{
    /// <summary>Nanoseconds of <paramref name="text"/>, or null when it is not a duration of at least 0.</summary>
    public static long? TryParseNs(string text)
    {
        text = text.Trim();
        var (number, scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (text[..^2], 1_000_000L),
            _ when text.EndsWith('s') || text.EndsWith('S') => (text[..^1], 1_000_000_000L),
            _ when text.EndsWith('m') || text.EndsWith('M') => (text[..^1], 60_000_000_000L),
            _ when text.EndsWith('h') || text.EndsWith('H') => (text[..^1], 3_600_000_000_000L),
            _ => (text, 1_000_000_000L),
        };
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && value * scale < long.MaxValue / 2
            ? (long)(value * scale)
            : null;
    }

    /// <summary>A duration as a person reads it: "120 s", "500 ms".</summary>
    public static string Format(long ns) => ns % 1_000_000_000 == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{ns / 1_000_000_000} s")
        : string.Create(CultureInfo.InvariantCulture, $"{ns / 1_000_000.0:0.###} ms");
}
