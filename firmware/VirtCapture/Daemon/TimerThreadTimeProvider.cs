using System.Diagnostics;

namespace VirtCapture.Daemon;

/// <summary>
/// The box's clock: a <see cref="TimeProvider"/> whose timers all fire on one dedicated thread (vc-clock), their
/// callbacks run there, one at a time. The box's periodic work (the LEDs eight times a second, the live sampler, the
/// VM sweep, the status line) then wakes one thread per tick. Through the thread pool each tick woke the pool's timer
/// thread and two workers: about 170 of an idle box's 258 context switches a second, a tenth of a flood's samples in
/// make profile-live. Callbacks must not block: work that waits (a stop, a file copy) moves to the thread pool first.
/// </summary>
internal sealed class TimerThreadTimeProvider : TimeProvider, IDisposable
{
    private readonly object _gate = new();
    private readonly PriorityQueue<(TimerThreadTimer Timer, long Version), long> _due = new();
    private readonly Thread _thread;
    // When the thread will next wake by itself: only a timer due before then needs to wake it.
    private long _wakeAt = long.MaxValue;
    private bool _disposed;

    /// <summary>Starts the clock's thread.</summary>
    public TimerThreadTimeProvider(string threadName = "vc-clock")
    {
        _thread = new Thread(Run) { IsBackground = true, Name = threadName };
        _thread.Start();
    }

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new TimerThreadTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Stops the thread; timers no longer fire.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _due.Clear();
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Queues a timer's next firing (the caller has just made <paramref name="version"/> its current one).</summary>
    internal void Schedule(TimerThreadTimer timer, long version, long dueTimestamp)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _due.Enqueue((timer, version), dueTimestamp);
            if (dueTimestamp < _wakeAt && Thread.CurrentThread != _thread)
            {
                Monitor.Pulse(_gate);
            }
        }
    }

    internal object Gate => _gate;

    private void Run()
    {
        while (true)
        {
            TimerThreadTimer? due = null;
            lock (_gate)
            {
                while (due is null)
                {
                    if (_disposed)
                    {
                        return;
                    }

                    if (!_due.TryPeek(out var entry, out var at))
                    {
                        _wakeAt = long.MaxValue;
                        Monitor.Wait(_gate);
                        continue;
                    }

                    if (!entry.Timer.IsCurrent(entry.Version))
                    {
                        // Changed or disposed since it was queued.
                        _due.Dequeue();
                        continue;
                    }

                    var now = GetTimestamp();
                    if (at > now)
                    {
                        _wakeAt = at;
                        Monitor.Wait(_gate, WaitMilliseconds(at - now));
                        continue;
                    }

                    _due.Dequeue();
                    _wakeAt = long.MinValue;
                    entry.Timer.Fired(at, now);
                    due = entry.Timer;
                }
            }

            due.Invoke();
        }
    }

    private static int WaitMilliseconds(long ticks) =>
        (int)Math.Min(int.MaxValue - 1, (ticks * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency);
}
