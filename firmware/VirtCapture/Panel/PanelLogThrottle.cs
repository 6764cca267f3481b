namespace VirtCapture.Panel;

/// <summary>
/// The console's panel line at a rate a person reads: a change is logged at once when the last line is older than
/// the interval, otherwise once the interval has passed, with the state then in force. A LED flickering with the
/// traffic never floods the log, and the line always catches up with the panel.
/// </summary>
internal sealed class PanelLogThrottle
{
    private readonly long _intervalMs;
    private long _lastLoggedMs = long.MinValue / 2;
    private bool _pending;

    public PanelLogThrottle(TimeSpan interval)
    {
        _intervalMs = (long)interval.TotalMilliseconds;
    }

    /// <summary>Called on every render; true when the panel line should be written now.</summary>
    /// <param name="nowMs">Milliseconds on any monotonic clock.</param>
    /// <param name="changed">The LED patterns changed since the last render.</param>
    public bool ShouldLog(long nowMs, bool changed)
    {
        _pending |= changed;
        if (!_pending || nowMs - _lastLoggedMs < _intervalMs)
        {
            return false;
        }

        _pending = false;
        _lastLoggedMs = nowMs;
        return true;
    }
}
