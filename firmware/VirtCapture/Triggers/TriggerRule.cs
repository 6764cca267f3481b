using System.Globalization;
using VirtCapture.Hal.Bpf;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Triggers;

/// <summary>
/// One trigger, written on one line the same way in the configuration (<c>Capture:Triggers</c>), the start request, the
/// command line and the web page: <c>NAME: filter=BPF; count=N; within=T; pre=T; post=T; holdoff=T</c>, or
/// <c>event=KIND</c> instead of a filter. The one place a trigger is checked.
/// </summary>
/// <param name="Name">The rule's name, in the incident's file name and comment.</param>
/// <param name="Filter">The BPF filter a frame must match, or empty for an event trigger.</param>
/// <param name="Event">The box event it fires on, or <see cref="TriggerEvent.None"/>.</param>
/// <param name="Count">How many matches fire it (1: every match).</param>
/// <param name="WithinNs">The window the matches must fall in (0: no window, with count 1).</param>
/// <param name="PreNs">Capture time kept before the trigger.</param>
/// <param name="PostNs">Capture time kept after it.</param>
/// <param name="HoldOffNs">After firing, matches within this long extend nothing and start no new incident.</param>
public sealed record TriggerRule(string Name, string Filter, TriggerEvent Event, int Count, long WithinNs, long PreNs, long PostNs, long HoldOffNs)
{
    /// <summary>Default capture time before a trigger.</summary>
    public const long DefaultPreNs = 120_000_000_000;

    /// <summary>Default capture time after a trigger.</summary>
    public const long DefaultPostNs = 60_000_000_000;

    /// <summary>Default hold-off.</summary>
    public const long DefaultHoldOffNs = 60_000_000_000;

    private const long MaxSpanNs = 3_600_000_000_000;

    /// <summary>The manual trigger: the MARK button, when no rule with <c>event=mark</c> is configured.</summary>
    public static TriggerRule Mark { get; } = new("MARK", string.Empty, TriggerEvent.Mark, 1, 0, DefaultPreNs, DefaultPostNs, 0);

    /// <summary>Reads one rule; <paramref name="key"/> ("Capture:Triggers:0", "triggers[0]") names it in the error.</summary>
    /// <exception cref="UserErrorException">The rule is not well formed; the message names the key and the part.</exception>
    public static TriggerRule Parse(string? text, string key)
    {
        const string Form = "NAME: filter=BPF (or event=vm|migration|link-down|drop|mark|fleet); count=N; within=T; pre=T; post=T; holdoff=T";
        var colon = (text ?? string.Empty).IndexOf(':', StringComparison.Ordinal);
        if (text is null || colon <= 0)
        {
            throw new UserErrorException($"{key}: '{text}' is not a trigger; write {Form}");
        }

        var name = text[..colon].Trim();
        if (name.Length is 0 or > 40 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new UserErrorException($"{key}: the name '{name}' must be 1 to 40 letters, digits, '-', '_' or '.' (it names the incident files)");
        }

        string filter = string.Empty;
        var kind = TriggerEvent.None;
        int count = 1;
        long within = 0, pre = DefaultPreNs, post = DefaultPostNs, holdOff = DefaultHoldOffNs;
        foreach (var part in text[(colon + 1)..].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var field = equals < 0 ? string.Empty : part[..equals].Trim().ToLowerInvariant();
            var value = equals < 0 ? part : part[(equals + 1)..].Trim();
            switch (field)
            {
                case "filter":
                    filter = value;
                    break;
                case "event":
                    kind = ParseEvent(value) ?? throw new UserErrorException($"{key}: event '{value}' is not one of vm, migration, link-down, drop, mark, fleet");
                    break;
                case "count":
                    count = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 1_000_000
                        ? n : throw new UserErrorException($"{key}: count must be a whole number from 1 to 1000000, got '{value}'");
                    break;
                case "within":
                    within = Span(key, field, value, allowZero: false);
                    break;
                case "pre":
                    pre = Span(key, field, value, allowZero: true);
                    break;
                case "post":
                    post = Span(key, field, value, allowZero: true);
                    break;
                case "holdoff":
                    holdOff = Span(key, field, value, allowZero: true);
                    break;
                default:
                    throw new UserErrorException($"{key}: '{part}' is not one of filter=, event=, count=, within=, pre=, post=, holdoff=");
            }
        }

        if ((filter.Length == 0) == (kind == TriggerEvent.None))
        {
            throw new UserErrorException($"{key}: give either filter=BPF or event=KIND (exactly one)");
        }

        if (count > 1 && within == 0)
        {
            throw new UserErrorException($"{key}: count={count} needs within=T, the time the matches must fall in");
        }

        if (filter.Length > 0 && BpfFilterProgram.Check(filter, CapturePort.Ethernet) is { } reason)
        {
            throw new UserErrorException($"{key}: filter '{filter}' is not a valid capture filter: {reason}");
        }

        return new TriggerRule(name, filter, kind, count, within, pre, post, holdOff);
    }

    /// <summary>Reads every rule of a list, refusing two with one name.</summary>
    /// <exception cref="UserErrorException">A rule is not well formed, or a name is used twice.</exception>
    public static IReadOnlyList<TriggerRule> ParseAll(IReadOnlyList<string> texts, string key)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var rules = texts.Select((t, i) => Parse(t, $"{key}:{i}")).ToArray();
        if (rules.GroupBy(r => r.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new UserErrorException($"{key}: two triggers are named '{twice.Key}'; names must differ (they name the incident files)");
        }

        return rules;
    }

    /// <summary>What the rule does, in the words of the incident's comment.</summary>
    public string Describe()
    {
        var match = Event == TriggerEvent.None ? $"filter '{Filter}'" : $"event {EventName(Event)}";
        var rate = Count > 1 ? $", {Count} times within {Durations.Format(WithinNs)}" : string.Empty;
        return $"trigger {Name} ({match}{rate}; {Durations.Format(PreNs)} before, {Durations.Format(PostNs)} after)";
    }

    /// <summary>The event's name as rules write it.</summary>
    public static string EventName(TriggerEvent kind) => kind == TriggerEvent.LinkDown ? "link-down" : kind.ToString().ToLowerInvariant();

    private static TriggerEvent? ParseEvent(string value) =>
        Enum.GetValues<TriggerEvent>().Where(e => e != TriggerEvent.None).Cast<TriggerEvent?>()
            .FirstOrDefault(e => EventName(e!.Value).Equals(value, StringComparison.OrdinalIgnoreCase));

    private static long Span(string key, string field, string value, bool allowZero)
    {
        var ns = Durations.TryParseNs(value);
        if (ns is null || ns > MaxSpanNs || (!allowZero && ns == 0))
        {
            throw new UserErrorException($"{key}: {field} must be a duration {(allowZero ? "from 0" : "above 0")} up to 1 h (120, 90s, 500ms, 2m), got '{value}'");
        }

        return ns.Value;
    }
}
