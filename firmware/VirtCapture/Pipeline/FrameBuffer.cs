using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using VirtCapture.Hal.Frames;
using VirtCapture.Pcapng;

namespace VirtCapture.Pipeline;

/// <summary>
/// Stage 4 of the data path (frame source → filter → slicer → <b>buffer</b> → pcapng writer → ring files): a
/// bounded, preallocated set of segments between the capture thread and the disk. The capture thread encodes each
/// frame once, as the pcapng enhanced packet block the writer will store, so the writer's work is one write per
/// segment. For a live source the capture thread never waits: with no free segment the frame is dropped and the
/// caller counts it. For a file the capture thread waits instead, since nothing is lost by reading more slowly.
/// </summary>
internal sealed class FrameBuffer : IDisposable
{
    // Free segments are reused last-in first-out: the few that are hot stay in cache, and the memory of the rest is
    // never touched (so not resident) unless the disk really falls behind.
    private readonly Stack<BufferSegment> _free = new();
    private readonly Lock _freeLock = new();
    private readonly ConcurrentQueue<BufferSegment> _full = new();
    private readonly SemaphoreSlim _freeSignal;
    // Set when a segment is published: the writer, woken, takes whatever is queued. No spinning before it sleeps
    // (SemaphoreSlim's spin and sched_yield were 3 % of the box's CPU in the flood's profile, on two cores).
    private readonly ManualResetEventSlim _fullSignal = new(false, spinCount: 0);
    private readonly bool _dropWhenFull;
    private readonly long _publishAfterTicks;
    private BufferSegment? _current;
    private volatile bool _completed;
    private IBlockObserver[] _observers = [];
    private IReadOnlyList<CapturePort> _ports = [];
    // Frames of the current segment the block observers have seen.
    private int _shown;

    /// <summary>Creates the buffer.</summary>
    /// <param name="totalBytes">Memory for all segments.</param>
    /// <param name="segmentBytes">Size of one segment; at least one maximal frame.</param>
    /// <param name="ports">Number of ports, for the per-segment frame counts.</param>
    /// <param name="dropWhenFull">True for live sources.</param>
    /// <param name="publishAfter">A partly filled segment older than this is handed to the writer anyway.</param>
    public FrameBuffer(long totalBytes, int segmentBytes, int ports, bool dropWhenFull, TimeSpan publishAfter)
    {
        var count = (int)Math.Max(4, totalBytes / segmentBytes);
        for (var i = 0; i < count; i++)
        {
            _free.Push(new BufferSegment(segmentBytes, ports));
        }

        SegmentCount = count;
        _freeSignal = new SemaphoreSlim(count, count);
        _dropWhenFull = dropWhenFull;
        _publishAfterTicks = (long)(publishAfter.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Adds a block observer, shown the ports' frames as they are appended; before the capture starts.</summary>
    public void AddObserver(IBlockObserver observer, IReadOnlyList<CapturePort> ports)
    {
        _observers = [.. _observers, observer];
        _ports = ports;
    }

    /// <summary>
    /// Capture thread: shows the block observers the frames appended since they last looked (the capture loop calls it
    /// after each slice, while the slice is in cache; a segment is always shown whole before the writer gets it).
    /// </summary>
    public void ShowAppended()
    {
        var segment = _current;
        if (segment is null || segment.Frames == _shown)
        {
            return;
        }

        foreach (var observer in _observers)
        {
            observer.BlocksAppended(segment, _shown, _ports);
        }

        _shown = segment.Frames;
    }

    /// <summary>Number of segments.</summary>
    public int SegmentCount { get; }

    /// <summary>Segments waiting for the writer.</summary>
    public int Pending => _full.Count;

    /// <summary>True once the producer completed and the writer took every segment.</summary>
    public bool IsDrained => _completed && _full.IsEmpty;

    /// <summary>
    /// Capture thread: encodes one frame as an enhanced packet block. Returns false when a live buffer is full
    /// (the frame is dropped).
    /// </summary>
    // Inlined into the capture loop: a call per frame, with its six saved registers, was a fifth of this method's time
    // in the AOT build's profile (make profile-live). A frame with a drop count or a comment (rare) takes a call.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAppend(in FrameRecord frame, ReadOnlySpan<byte> bytes, int sliced, long dropCount, CancellationToken cancel, ReadOnlySpan<byte> comment = default)
    {
        if (dropCount != 0 || !comment.IsEmpty)
        {
            return TryAppendWithOptions(frame, bytes, sliced, dropCount, comment, cancel);
        }

        var size = PcapngBlocks.PlainEnhancedPacketLength(sliced, (uint)frame.Direction);
        var segment = Room(size, cancel);
        if (segment is null)
        {
            return false;
        }

        var block = segment.Data.Slice(segment.Length, size);
        Slicer.Copy(frame, bytes, block.Slice(28, sliced));
        PcapngBlocks.CompletePlainEnhancedPacket(block, frame.Port, frame.TimestampNs, sliced, Slicer.RecordedWireLength(frame), (uint)frame.Direction);
        Commit(segment, frame, size);
        return true;
    }

    /// <summary>Capture thread: appends a whole prepared block (an event comment, or an interface declared late).</summary>
    public bool TryAppendBlock(ReadOnlySpan<byte> block, CancellationToken cancel, bool declaresInterface = false)
    {
        var segment = _current;
        if (segment is null || segment.Remaining < block.Length)
        {
            segment = NextSegment(cancel);
            if (segment is null)
            {
                return false;
            }
        }

        block.CopyTo(segment.Data[segment.Length..]);
        segment.Length += block.Length;
        segment.Interfaces += declaresInterface ? 1 : 0;
        return true;
    }

    /// <summary>Capture thread: hands over the current segment if it has waited long enough (or always, if forced).</summary>
    public void PublishIfStale(bool force = false)
    {
        var segment = _current;
        if (segment is { Length: > 0 } && (force || Stopwatch.GetTimestamp() - segment.StartedTicks >= _publishAfterTicks))
        {
            ShowAppended();
            Publish(segment);
            _current = null;
        }
    }

    /// <summary>Capture thread: no more frames will come.</summary>
    public void Complete()
    {
        PublishIfStale(force: true);
        _completed = true;
        _fullSignal.Set();
    }

    /// <summary>Writer thread: the next segment, or null after <paramref name="timeout"/>.</summary>
    public BufferSegment? Take(TimeSpan timeout)
    {
        if (_full.TryDequeue(out var ready))
        {
            return ready;
        }

        _fullSignal.Reset();
        // A segment published between the look above and the reset set the signal before the reset cleared it.
        if (_full.TryDequeue(out ready))
        {
            return ready;
        }

        _fullSignal.Wait(timeout);
        return _full.TryDequeue(out ready) ? ready : null;
    }

    /// <summary>Writer thread: gives a drained segment back.</summary>
    public void Return(BufferSegment segment)
    {
        segment.Reset();
        lock (_freeLock)
        {
            _free.Push(segment);
        }

        _freeSignal.Release();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _freeSignal.Dispose();
        _fullSignal.Dispose();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryAppendWithOptions(in FrameRecord frame, ReadOnlySpan<byte> bytes, int sliced, long dropCount, ReadOnlySpan<byte> comment, CancellationToken cancel)
    {
        var size = PcapngBlocks.EnhancedPacketLength(sliced, (uint)frame.Direction, dropCount, comment.Length);
        var segment = Room(size, cancel);
        if (segment is null)
        {
            return false;
        }

        var block = segment.Data.Slice(segment.Length, size);
        Slicer.Copy(frame, bytes, block.Slice(28, sliced));
        PcapngBlocks.CompleteEnhancedPacket(block, frame.Port, frame.TimestampNs, sliced, Slicer.RecordedWireLength(frame), (uint)frame.Direction, dropCount, comment);
        Commit(segment, frame, size);
        return true;
    }

    // The current segment if it has room for size more bytes, else the next one (null: none free on a live source).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private BufferSegment? Room(int size, CancellationToken cancel)
    {
        var segment = _current;
        return segment is null || segment.Remaining < size ? NextSegment(cancel) : segment;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Commit(BufferSegment segment, in FrameRecord frame, int size)
    {
        segment.FrameOffsets[segment.Frames] = segment.Length;
        segment.Length += size;
        segment.Frames++;
        segment.FramesPerPort[frame.Port]++;
        segment.LastTimestampNs = frame.TimestampNs;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private BufferSegment? NextSegment(CancellationToken cancel)
    {
        if (_current is { Length: > 0 } previous)
        {
            ShowAppended();
            Publish(previous);
        }

        _current = null;
        _shown = 0;
        BufferSegment? segment;
        if (_dropWhenFull)
        {
            if (!_freeSignal.Wait(0, CancellationToken.None))
            {
                return null;
            }
        }
        else
        {
            _freeSignal.Wait(cancel);
        }

        lock (_freeLock)
        {
            if (!_free.TryPop(out segment))
            {
                return null;
            }
        }

        segment.StartedTicks = Stopwatch.GetTimestamp();
        _current = segment;
        return segment;
    }

    private void Publish(BufferSegment segment)
    {
        _full.Enqueue(segment);
        _fullSignal.Set();
    }
}
