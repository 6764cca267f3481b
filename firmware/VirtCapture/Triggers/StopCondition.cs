using System.Globalization;
using VirtCapture.Hal.Bpf;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Triggers;

/// <summary>
/// When an ordinary capture ends by itself, as dumpcap's <c>-a</c> does: <c>frames=N; bytes=N[KB|MB|GB];
/// duration=T; filter=BPF</c>. Frames, bytes and duration are checked on a timer, not on the next matching frame; the
/// stop filter on the capture thread (the matching frame is recorded, then the capture stops).
/// </summary>
/// <param name="Frames">Stop after this many recorded frames (0: no limit).</param>
/// <param name="Bytes">Stop after this many bytes written (0: no limit).</param>
/// <param name="DurationNs">Stop this long after the start (0: no limit).</param>
/// <param name="Filter">Stop after a frame matching this filter (empty: none).</param>
public sealed record StopCondition(long Frames, long Bytes, long DurationNs, string Filter)
{
    /// <summary>No condition.</summary>
    public static StopCondition None { get; } = new(0, 0, 0, string.Empty);

    /// <summary>True when nothing stops the capture by itself.</summary>
    public bool IsNone => Frames == 0 && Bytes == 0 && DurationNs == 0 && Filter.Length == 0;

    /// <summary>Reads the conditions; <paramref name="key"/> names them in the error.</summary>
    /// <exception cref="UserErrorException">A part is not well formed; the message names it.</exception>
    public static StopCondition Parse(string? text, string key)
    {
        var condition = None;
        foreach (var part in (text ?? string.Empty).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var field = equals < 0 ? string.Empty : part[..equals].Trim().ToLowerInvariant();
            var value = equals < 0 ? part : part[(equals + 1)..].Trim();
            condition = field switch
            {
                "frames" => condition with { Frames = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw Wrong(key, part, "a whole number above 0") },
                "bytes" => condition with { Bytes = ParseBytes(value) ?? throw Wrong(key, part, "a size above 0 (bytes, or with KB, MB, GB)") },
                "duration" => condition with { DurationNs = Durations.TryParseNs(value) is > 0 and var d ? d : throw Wrong(key, part, "a duration above 0 (90, 90s, 2m, 1h)") },
                "filter" => condition with { Filter = BpfFilterProgram.Check(value, CapturePort.Ethernet) is { } reason ? throw new UserErrorException($"{key}: stop filter '{value}' is not a valid capture filter: {reason}") : value },
                _ => throw new UserErrorException($"{key}: '{part}' is not one of frames=N, bytes=N[KB|MB|GB], duration=T, filter=BPF"),
            };
        }

        return condition;
    }

    /// <summary>The conditions as a person reads them.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Frames > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Frames} frames"));
        }

        if (Bytes > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Bytes} bytes"));
        }

        if (DurationNs > 0)
        {
            parts.Add(Durations.Format(DurationNs));
        }

        if (Filter.Length > 0)
        {
            parts.Add($"a frame matching '{Filter}'");
        }

        return parts.Count == 0 ? "never" : string.Join(" or ", parts);
    }

    private static long? ParseBytes(string value)
    {
        var (number, scale) = value.ToUpperInvariant() switch
        {
            var v when v.EndsWith("KB", StringComparison.Ordinal) => (value[..^2], 1_000L),
            var v when v.EndsWith("MB", StringComparison.Ordinal) => (value[..^2], 1_000_000L),
            var v when v.EndsWith("GB", StringComparison.Ordinal) => (value[..^2], 1_000_000_000L),
            _ => (value, 1L),
        };
        return long.TryParse(number.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && n < long.MaxValue / scale ? n * scale : null;
    }

    private static UserErrorException Wrong(string key, string part, string expected) => new($"{key}: '{part}' must be {expected}");
}
