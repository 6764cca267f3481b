namespace VirtCapture.Triggers;

/// <summary>
/// The count, rate and hold-off of one rule over the times of its matches: fires on the match that makes
/// <see cref="TriggerRule.Count"/> matches within <see cref="TriggerRule.WithinNs"/>, and not again until the hold-off
/// after that has passed. Matches during the hold-off are counted as merged into the incident. No allocation per match.
/// </summary>
internal sealed class TriggerCount
{
    private readonly long[] _times;
    private readonly long _withinNs;
    private readonly long _holdOffNs;
    private int _next;
    private int _held;
    private long _quietUntil = long.MinValue;

    public TriggerCount(TriggerRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        _times = new long[rule.Count];
        _withinNs = rule.WithinNs;
        _holdOffNs = rule.HoldOffNs;
    }

    /// <summary>Matches that fell in a hold-off: part of an incident already started.</summary>
    public long Merged { get; private set; }

    /// <summary>Matches seen.</summary>
    public long Matches { get; private set; }

    /// <summary>A match at <paramref name="ns"/>; true when it fires the rule.</summary>
    public bool Hit(long ns)
    {
        Matches++;
        if (ns < _quietUntil)
        {
            Merged++;
            return false;
        }

        // The last Count match times in a circular array: the rule fires when the oldest of them is within the window.
        _times[_next] = ns;
        _next = (_next + 1) % _times.Length;
        if (_held < _times.Length)
        {
            _held++;
        }

        if (_held < _times.Length || (_times.Length > 1 && ns - _times[_next] > _withinNs))
        {
            return false;
        }

        _held = 0;
        _quietUntil = ns + _holdOffNs;
        return true;
    }
}
