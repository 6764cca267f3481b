using Microsoft.Extensions.Hosting;
using VirtCapture.Daemon;
using VirtCapture.Hal.Frames;
using VirtCapture.Pipeline;

namespace VirtCapture.Triggers;

/// <summary>
/// Ends a capture on its stop conditions (<c>Capture:StopAfter</c>): bytes and duration on a 100 ms tick, whether or
/// not frames arrive; the frame count exactly, on the capture thread; the stop filter on the capture thread after its
/// frame is recorded. The stop is the ordinary one: every file closed and renamed.
/// </summary>
internal sealed class StopWatcher : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private readonly CaptureService _capture;
    private readonly TimeProvider _time;
    private readonly Microsoft.Extensions.Logging.ILogger<StopWatcher> _log;
    private readonly SemaphoreSlim _armedSignal = new(0);
    private volatile Armed? _armed;

    public StopWatcher(CaptureService capture, TimeProvider time, Microsoft.Extensions.Logging.ILogger<StopWatcher> log)
    {
        _log = log;
        _capture = capture;
        _time = time;
        capture.SessionCreated += OnSession;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // No stop condition, no tick: a timer waking a thread ten times a second costs a flood's capture
                // thread its core (make bench-live measured it).
                if (_armed is null)
                {
                    await _armedSignal.WaitAsync(stoppingToken).ConfigureAwait(false);
                    continue;
                }

                await Task.Delay(Tick, _time, stoppingToken).ConfigureAwait(false);
                if (_armed is { } armed && Reason(armed) is { } reason)
                {
                    _armed = null;
                    Log.StopConditionMet(_log, reason);
                    // The tick runs on the box's clock thread; a stop drains and closes files, so it runs on the pool.
                    await Task.Run(_capture.StopCaptureAsync, CancellationToken.None).ConfigureAwait(false);
                    _capture.Notify("capture", $"capture stopped by its stop condition: {reason}");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the capture service closes the files.
        }
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        _armedSignal.Dispose();
        base.Dispose();
    }

    private void OnSession(CaptureSession session)
    {
        _armed?.Filter?.Dispose();
        var condition = StopCondition.Parse(_capture.Capture.StopAfter, "Capture:StopAfter");
        if (condition.IsNone)
        {
            _armed = null;
            return;
        }

        var armed = new Armed(session, condition, _time.GetTimestamp(), condition.Filter.Length == 0 ? null : new StopFilter(condition.Filter, session));
        if (armed.Filter is not null)
        {
            session.Pipeline.AddAnnotator(armed.Filter);
        }

        _armed = armed;
        _armedSignal.Release();
    }

    private string? Reason(Armed armed)
    {
        var (session, condition, startedAt, filter) = armed;
        if (!ReferenceEquals(_capture.Session, session))
        {
            return null;
        }

        var pipeline = session.Pipeline;
        var written = pipeline.Counters().Sum(c => c.Written);
        if (condition.Frames > 0 && written >= condition.Frames)
        {
            return $"{written} frames";
        }

        if (filter is { Matched: true })
        {
            return $"a frame matched '{condition.Filter}'";
        }

        if (condition.Bytes > 0 && pipeline.Ring.BytesWritten >= condition.Bytes)
        {
            return $"{pipeline.Ring.BytesWritten} bytes written";
        }

        if (condition.DurationNs > 0 && _time.GetElapsedTime(startedAt).Ticks * 100 >= condition.DurationNs)
        {
            return $"{Durations.Format(condition.DurationNs)} elapsed";
        }

        return pipeline.Completion.IsCompleted ? "the capture ended" : null;
    }

    private sealed record Armed(CaptureSession Session, StopCondition Condition, long StartedAt, StopFilter? Filter);

    /// <summary>The stop filter on the capture thread: after its first match the capture loop is asked to stop.</summary>
    private sealed class StopFilter(string filter, CaptureSession session) : IFrameAnnotator, IDisposable
    {
        private readonly FrameMatcher _matcher = FrameMatcher.AfterCaptureFilter(filter, session.CompiledFilter, session.Source.FiltersInKernel);

        public bool Matched { get; private set; }

        public void Annotate(in FrameBatch batch, IReadOnlyList<CapturePort> ports, FrameComments comments)
        {
            if (Matched)
            {
                return;
            }

            foreach (ref readonly var frame in batch.Frames)
            {
                if (_matcher.Matches(frame, batch.Bytes(frame), ports))
                {
                    Matched = true;
                    session.Pipeline.RequestStop();
                    return;
                }
            }
        }

        public void Dispose() => _matcher.Dispose();
    }
}
