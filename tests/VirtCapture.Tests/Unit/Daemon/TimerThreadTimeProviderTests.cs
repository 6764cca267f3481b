using System.Collections.Concurrent;
using VirtCapture.Daemon;

namespace VirtCapture.Tests.Unit.Daemon;

/// <summary>
/// The box's clock: its timers keep System.Threading.Timer's contract (one-shot, periodic, changed, disposed, under
/// Task.Delay and PeriodicTimer) and fire on its one thread, one callback at a time.
/// </summary>
public sealed class TimerThreadTimeProviderTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly TimerThreadTimeProvider _clock = new("vc-clock-test");

    public void Dispose() => _clock.Dispose();

    [Fact]
    public void A_one_shot_timer_fires_once_on_the_clock_thread()
    {
        var fired = new BlockingCollection<string?>();
        using var timer = _clock.CreateTimer(_ => fired.Add(Thread.CurrentThread.Name), null, TimeSpan.FromMilliseconds(20), Timeout.InfiniteTimeSpan);
        Assert.True(fired.TryTake(out var thread, Patience));
        Assert.Equal("vc-clock-test", thread);
        Assert.False(fired.TryTake(out _, TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public void A_periodic_timer_fires_until_changed_to_infinite_and_a_disposed_timer_refuses_changes()
    {
        var count = 0;
        using var ticked = new CountdownEvent(3);
        var timer = _clock.CreateTimer(_ =>
        {
            Interlocked.Increment(ref count);
            if (!ticked.IsSet)
            {
                ticked.Signal();
            }
        }, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(10));
        Assert.True(ticked.Wait(Patience));

        Assert.True(timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        // A callback already running when the timer was changed may still end; none starts after it.
        Thread.Sleep(200);
        var stopped = Volatile.Read(ref count);
        Thread.Sleep(100);
        Assert.Equal(stopped, Volatile.Read(ref count));

        timer.Dispose();
        Assert.False(timer.Change(TimeSpan.Zero, TimeSpan.FromMilliseconds(10)));
        Thread.Sleep(50);
        Assert.Equal(stopped, Volatile.Read(ref count));
    }

    [Fact]
    public void A_timer_due_before_the_sleeping_thread_wakes_is_not_held_back_by_a_later_one()
    {
        using var late = _clock.CreateTimer(_ => { }, null, TimeSpan.FromMinutes(10), Timeout.InfiniteTimeSpan);
        Thread.Sleep(50);
        using var soon = new ManualResetEventSlim();
        using var timer = _clock.CreateTimer(_ => soon.Set(), null, TimeSpan.FromMilliseconds(20), Timeout.InfiniteTimeSpan);
        Assert.True(soon.Wait(Patience));
    }

    [Fact]
    public void Callbacks_run_one_at_a_time_and_a_slow_one_only_delays_the_others()
    {
        var running = 0;
        var overlapped = false;
        using var both = new CountdownEvent(6);
        void Work(object? _)
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            Thread.Sleep(15);
            Interlocked.Decrement(ref running);
            if (!both.IsSet)
            {
                both.Signal();
            }
        }

        using var a = _clock.CreateTimer(Work, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(5));
        using var b = _clock.CreateTimer(Work, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(5));
        Assert.True(both.Wait(Patience));
        Assert.False(overlapped);
    }

    [Fact]
    public async Task Task_delay_completes_on_the_clock_and_a_cancelled_one_ends_cancelled()
    {
        var started = _clock.GetTimestamp();
        await Task.Delay(TimeSpan.FromMilliseconds(30), _clock);
        Assert.True(_clock.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(29));

        // Cancelled long before it is due (CancelAsync runs the cancellation on the pool: a short delay could win).
        using var cancel = new CancellationTokenSource();
        var delay = Task.Delay(TimeSpan.FromMinutes(10), _clock, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delay.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_periodic_timer_ticks_on_the_clock()
    {
        using var periodic = new PeriodicTimer(TimeSpan.FromMilliseconds(10), _clock);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await periodic.WaitForNextTickAsync().AsTask().WaitAsync(Patience));
        }
    }

    [Fact]
    public void Nothing_fires_once_the_clock_is_disposed()
    {
        var fired = 0;
        using var timer = _clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromMilliseconds(50), Timeout.InfiniteTimeSpan);
        _clock.Dispose();
        Thread.Sleep(150);
        Assert.Equal(0, Volatile.Read(ref fired));
    }
}
