using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Pipeline;

/// <summary>
/// The writer thread: buffer → ring files → segment observers. Stores each segment, counts what it wrote (and,
/// once the ring has stopped, what it could not: dropped too), shows the segment to the observers before it is
/// reused, and closes every file at the end.
/// </summary>
internal sealed class WriterLoop
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);

    private readonly IFrameSource _source;
    private readonly FrameBuffer _buffer;
    private readonly RingFileSet _ring;
    private readonly PortStage[] _stages;
    private readonly PipelineControl _control;
    private readonly Func<long> _nowNs;
    private readonly ILogger _log;
    private readonly long[] _writtenNow;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ISegmentObserver[] _observers = [];

    public WriterLoop(IFrameSource source, FrameBuffer buffer, RingFileSet ring, PortStage[] stages, PipelineControl control, Func<long> nowNs, ILogger log)
    {
        _source = source;
        _buffer = buffer;
        _ring = ring;
        _stages = stages;
        _control = control;
        _nowNs = nowNs;
        _log = log;
        _writtenNow = new long[stages.Length];
    }

    /// <summary>Completes when every file is closed.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Adds an observer; before the thread starts.</summary>
    public void AddObserver(ISegmentObserver observer) => _observers = [.. _observers, observer];

    /// <summary>The thread's body: until the capture loop completed the buffer and every segment is stored.</summary>
    public void Run()
    {
        try
        {
            if (_source.IsLive)
            {
                _ring.EnsureOpen(_nowNs());
            }

            while (true)
            {
                var segment = _buffer.Take(PollTimeout);
                if (segment is not null)
                {
                    Store(segment);
                    foreach (var observer in _observers)
                    {
                        observer.SegmentWritten(segment, _source.Ports);
                    }

                    _buffer.Return(segment);
                }
                else if (_buffer.IsDrained)
                {
                    break;
                }

                if (!_ring.Stopped)
                {
                    _ring.Tick(RingClockNs());
                }

                if (_ring.Stopped)
                {
                    // OnFull=Stop (or nothing left to delete): the capture ends, the files stay as they are.
                    _control.RequestStop();
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.WriteFailed(_log, _ring.CurrentPath ?? "the capture directory", e.Message);
            _control.Abort(e as IOException ?? new IOException($"cannot write {_ring.CurrentPath ?? "the capture directory"}: permission denied", e));
        }
        finally
        {
            CloseRing();
            foreach (var observer in _observers)
            {
                observer.CaptureEnded();
            }

            _completion.TrySetResult();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Store(BufferSegment segment)
    {
        Array.Clear(_writtenNow);
        if (!_ring.Stopped && !_ring.Write(segment, RingClockNs(), _writtenNow))
        {
            _control.RequestStop();
        }

        for (var p = 0; p < _stages.Length && p < segment.FramesPerPort.Length; p++)
        {
            ref var stage = ref _stages[p];
            Volatile.Write(ref stage.Written, stage.Written + _writtenNow[p]);
            if (_ring.Stopped)
            {
                // Accepted but not stored: every frame is either written or counted as dropped.
                Volatile.Write(ref stage.Unstored, stage.Unstored + segment.FramesPerPort[p] - _writtenNow[p]);
            }
        }
    }

    private void CloseRing()
    {
        try
        {
            // A capture that matched nothing still leaves a valid, empty file, as tcpdump and dumpcap do.
            if (_control.Error is null && _ring.Finished.Count == 0 && !_ring.Stopped)
            {
                _ring.EnsureOpen(_nowNs());
            }

            _ring.Close(_nowNs());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _control.Fail(e as IOException ?? new IOException(e.Message, e));
            Log.WriteFailed(_log, _ring.CurrentPath ?? "the capture directory", e.Message);
        }
    }

    // A file's clock is its frames' timestamps: rotating a replay of last week by today's wall clock would be wrong.
    private long RingClockNs() => _source.IsLive ? _nowNs() : _ring.LastFrameNs;
}
