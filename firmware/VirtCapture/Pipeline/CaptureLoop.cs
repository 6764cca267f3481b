using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using VirtCapture.Hal.Frames;
using VirtCapture.Hal.Replay;

namespace VirtCapture.Pipeline;

/// <summary>
/// The capture thread: frame source → filter → annotators → slicer → buffer. Reads batches, records what each stage
/// did in <see cref="PortStage"/>, and never waits for the disk on a live source: with no buffer room the frame is
/// dropped, counted, and reported on that port's next frame (epb_dropcount), as are the kernel's drops.
/// </summary>
internal sealed class CaptureLoop
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);

    private readonly IFrameSource _source;
    private readonly CaptureFilter _filter;
    private readonly Slicer _slicer;
    private readonly FrameBuffer _buffer;
    private readonly PortStage[] _stages;
    private readonly PipelineControl _control;
    private readonly long _frameLimit;
    private readonly Func<long> _nowNs;
    private readonly ILogger _log;
    private readonly LinkWatcher _links;
    private readonly ConcurrentQueue<(byte[] Block, int Port)> _events = new();
    // The interface block of a port the source finds while capturing.
    private readonly Func<CapturePort, byte[]> _describe;
    private readonly FrameComments _annotations = new();
    private readonly long[] _pendingDrops;
    // The indexes of a slice's frames the filter kept.
    private readonly int[] _kept = new int[Slice];
    private readonly long[] _kernelDropsSeen;
    private readonly Action<byte[]> _appendEvent;
    private IFrameAnnotator[] _annotators = [];
    private int _declared;
    private long _taken;
    private bool _bufferFullLogged;
    private bool _limitReached;

    public CaptureLoop(IFrameSource source, CaptureFilter filter, Slicer slicer, FrameBuffer buffer, PortStage[] stages, PipelineControl control, long frameLimit, Func<long> nowNs, ILogger log, Func<CapturePort, byte[]> describe)
    {
        _describe = describe;
        _source = source;
        _filter = filter;
        _slicer = slicer;
        _buffer = buffer;
        _stages = stages;
        _control = control;
        _frameLimit = frameLimit;
        _nowNs = nowNs;
        _log = log;
        _declared = source.Ports.Count;
        _links = new LinkWatcher(source, log);
        _pendingDrops = new long[source.MaxPorts];
        _kernelDropsSeen = new long[source.MaxPorts];
        _appendEvent = block => _buffer.TryAppendBlock(block, _control.Cancelled);
    }

    /// <summary>Bytes the capture thread allocated while running (0 on a healthy hot path, bar start-up).</summary>
    public long AllocatedBytes { get; private set; }

    /// <summary>Adds an annotator; before the thread starts.</summary>
    public void AddAnnotator(IFrameAnnotator annotator) => _annotators = [.. _annotators, annotator];

    /// <summary>Any thread: a prepared block (an event comment on a port) to record, in order with the frames around it.</summary>
    public void Record(byte[] block, int port) => _events.Enqueue((block, port));

    /// <summary>The thread's body: runs until the source ends, a stop is asked, or the frame limit is reached.</summary>
    public void Run()
    {
        var allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            while (!_control.StopRequested)
            {
                while (_events.TryDequeue(out var e))
                {
                    if (Declare(e.Port))
                    {
                        _appendEvent(e.Block);
                    }
                }

                var result = _source.ReadBatch(out var batch, PollTimeout);
                if (result == BatchResult.EndOfInput)
                {
                    break;
                }

                if (result == BatchResult.Frames)
                {
                    Process(batch);
                }

                // A file's source may report losses too (a mirror session's sequence gaps).
                CollectKernelDrops();
                if (_source.IsLive)
                {
                    _links.Check(_nowNs(), _appendEvent);
                    _buffer.PublishIfStale();
                }
            }

            if (_source.IsLive && !_limitReached)
            {
                Drain();
            }
        }
        catch (OperationCanceledException)
        {
            // The writer failed and cancelled us; its error is the one reported.
        }
        catch (Exception e) when (e is CaptureFileFormatException or IOException)
        {
            _control.Fail(e);
        }
        catch (Exception e)
        {
            // A reader's bug must not take the box down with every file it has written: the capture stops with
            // a fault naming it, the files are closed, and the management port stays up to say so.
            Log.CaptureFailed(_log, $"{e.GetType().Name} on the capture thread: {e}");
            _control.Fail(new IOException($"the capture stopped on an internal error ({e.GetType().Name}: {e.Message}); the files so far are closed", e));
        }
        finally
        {
            AllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - allocatedAtStart;
            _buffer.Complete();
        }
    }

    // The annotators and the copy into the buffer take a batch a slice at a time: a slice's frames are still in the
    // CPU's caches when the copy reads them again, where a whole batch (8192 frames, a megabyte and more) would not be.
    private const int Slice = 256;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Process(FrameBatch batch)
    {
        var frames = batch.Frames;
        for (var start = 0; start < frames.Length && !_limitReached; start += Slice)
        {
            ProcessSlice(new FrameBatch(batch.Data, frames.Slice(start, Math.Min(Slice, frames.Length - start))));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ProcessSlice(FrameBatch batch)
    {
        var annotations = _annotations;
        annotations.Clear();
        foreach (var annotator in _annotators)
        {
            annotator.Annotate(batch, _source.Ports, annotations);
        }

        // First the frames the filter keeps, counted per port; then the buffer encodes them in one loop of its own (a port
        // found while capturing is declared in between, after the frames kept before its first).
        var frames = batch.Frames;
        // Nothing to filter and no frame limit (a kernel filter, the usual case): a loop without calls keeps the frames
        // of declared ports; the rest go one by one.
        var keepsAll = _filter.AcceptsAll && _frameLimit <= 0;
        var keptCount = 0;
        var i = 0;
        while (i < frames.Length)
        {
            if (keepsAll)
            {
                i = KeepAll(frames, i, _kept, ref keptCount, _stages, _declared);
                if (i == frames.Length)
                {
                    break;
                }
            }

            if (!KeepOne(batch, i++, ref keptCount))
            {
                break;
            }
        }

        AppendKept(batch, keptCount);
        _buffer.ShowAppended();
    }

    // From frame start on, keeps every frame until one of a port not yet declared; returns that frame's index (or the
    // slice's length). No call in the loop: its state stays in registers (the general loop kept its counter on the
    // stack, a store and a load each frame: 4.7 % of the box's CPU in make profile-live's flood).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int KeepAll(ReadOnlySpan<FrameRecord> frames, int start, int[] kept, ref int keptCount, PortStage[] stages, int declared)
    {
        var count = keptCount;
        var i = start;
        for (; i < frames.Length; i++)
        {
            ref readonly var frame = ref frames[i];
            var port = frame.Port;
            if (port >= declared)
            {
                break;
            }

            ref var stage = ref stages[port];
            stage.Accepted++;
            stage.AcceptedBytes += frame.WireLength;
            kept[count++] = i;
        }

        keptCount = count;
        return i;
    }

    // One frame through the filter, counted; false once the frame limit is reached (the rest of the slice is left).
    private bool KeepOne(FrameBatch batch, int i, ref int keptCount)
    {
        ref readonly var frame = ref batch.Frames[i];
        var port = frame.Port;
        ref var stage = ref _stages[port];
        if (port >= _declared && !DeclareAfter(batch, ref keptCount, port))
        {
            stage.BufferDropped++;
            _pendingDrops[port]++;
            return true;
        }

        if (!_filter.AcceptsAll && !_filter.Accepts(frame, batch.Bytes(frame)))
        {
            stage.Filtered++;
            return true;
        }

        stage.Accepted++;
        stage.AcceptedBytes += frame.WireLength;
        _kept[keptCount++] = i;
        if (_frameLimit > 0 && ++_taken >= _frameLimit)
        {
            _limitReached = true;
            _control.RequestStop();
            return false;
        }

        return true;
    }

    // The frames the filter kept so far go to the buffer; then the port is declared: its interface block stands right
    // before its first frame, after the frames of other ports that came first (as readers of a late session expect).
    private bool DeclareAfter(FrameBatch batch, ref int keptCount, int port)
    {
        AppendKept(batch, keptCount);
        keptCount = 0;
        return Declare(port);
    }

    // Encodes the kept frames; a frame that finds no room is dropped, counted, and reported on its port's next frame.
    private void AppendKept(FrameBatch batch, int keptCount)
    {
        var kept = _kept;
        var comments = _annotations.Count > 0 ? _annotations : null;
        for (var done = 0; done < keptCount; done++)
        {
            done += _buffer.Append(batch, kept.AsSpan(done, keptCount - done), _slicer.Snaplen, _pendingDrops, comments, _control.Cancelled);
            if (done < keptCount)
            {
                var port = batch.Frames[kept[done]].Port;
                _stages[port].BufferDropped++;
                _pendingDrops[port]++;
                if (!_bufferFullLogged)
                {
                    _bufferFullLogged = true;
                    Log.BufferFull(_log);
                }
            }
        }
    }

    private void Drain()
    {
        // Frames already in the kernel's ring when the stop came are recorded too, so that what the kernel
        // counted as received is what the files hold, less what it dropped.
        var deadline = DateTime.UtcNow.AddSeconds(1);
        while (DateTime.UtcNow < deadline && _source.ReadBatch(out var batch, PollTimeout) == BatchResult.Frames)
        {
            Process(batch);
        }

        CollectKernelDrops();
    }

    // A port the source found while capturing is declared in the stream before anything of it, so that the writer
    // carries it into the current file and every later file's header. False when a live buffer has no room (the
    // frame is dropped and counted; the declaration is tried again on the port's next frame).
    private bool Declare(int port)
    {
        var ports = _source.Ports;
        while (_declared <= port && _declared < ports.Count)
        {
            if (!_buffer.TryAppendBlock(_describe(ports[_declared]), _control.Cancelled, declaresInterface: true))
            {
                return false;
            }

            _declared++;
        }

        return _declared > port;
    }

    private void CollectKernelDrops()
    {
        for (var p = 0; p < _source.Ports.Count; p++)
        {
            var total = _source.GetCounters(p).KernelDropped;
            if (total > _kernelDropsSeen[p])
            {
                // Reported on the next frame of that port as epb_dropcount.
                _pendingDrops[p] += total - _kernelDropsSeen[p];
                _kernelDropsSeen[p] = total;
            }
        }
    }
}
