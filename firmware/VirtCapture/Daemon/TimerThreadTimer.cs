using System.Diagnostics;

namespace VirtCapture.Daemon;

/// <summary>A timer of <see cref="TimerThreadTimeProvider"/>; its state changes under the provider's lock.</summary>
internal sealed class TimerThreadTimer : ITimer
{
    private readonly TimerThreadTimeProvider _clock;
    private readonly TimerCallback _callback;
    private readonly object? _state;
    private long _version;
    private long _periodTicks;
    private bool _disposed;

    public TimerThreadTimer(TimerThreadTimeProvider clock, TimerCallback callback, object? state)
    {
        _clock = clock;
        _callback = callback;
        _state = state;
    }

    /// <inheritdoc/>
    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, Timeout.InfiniteTimeSpan, nameof(dueTime));
        ArgumentOutOfRangeException.ThrowIfLessThan(period, Timeout.InfiniteTimeSpan, nameof(period));
        long version, due;
        lock (_clock.Gate)
        {
            if (_disposed)
            {
                return false;
            }

            version = ++_version;
            _periodTicks = period <= TimeSpan.Zero ? 0 : Ticks(period);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return true;
            }

            due = Stopwatch.GetTimestamp() + Ticks(dueTime);
            _clock.Schedule(this, version, due);
        }

        return true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_clock.Gate)
        {
            _disposed = true;
            _version++;
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return default;
    }

    /// <summary>Under the provider's lock: whether a queued firing is still this timer's current one.</summary>
    internal bool IsCurrent(long version) => !_disposed && version == _version;

    /// <summary>Under the provider's lock, as it fires: queues the next period's firing, on the schedule, not after it.</summary>
    internal void Fired(long dueTimestamp, long now)
    {
        if (_periodTicks == 0)
        {
            _version++;
            return;
        }

        var next = dueTimestamp + _periodTicks;
        _clock.Schedule(this, _version, next > now ? next : now + _periodTicks);
    }

    internal void Invoke() => _callback(_state);

    // Saturates: a due time of days (Task.Delay allows 49) must not overflow the timestamp it is added to.
    private static long Ticks(TimeSpan span) => (long)Math.Min(span.Ticks * (double)Stopwatch.Frequency / TimeSpan.TicksPerSecond, long.MaxValue / 4);
}
