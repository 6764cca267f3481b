using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    /// Capture thread: encodes the frames of <paramref name="batch"/> at <paramref name="indexes"/>, in order, as
    /// enhanced packet blocks cut to <paramref name="snaplen"/>. Returns how many it took: fewer than all when the next
    /// found no room in a live buffer (the caller drops and counts that one, and may go on after it).
    /// </summary>
    /// <param name="batch">The frames, as the source lent them.</param>
    /// <param name="indexes">Which frames of the batch, in order.</param>
    /// <param name="snaplen">The slicer's length.</param>
    /// <param name="pendingDrops">Per port, frames lost since its last recorded frame: written on that port's next
    /// block as epb_dropcount, then zeroed.</param>
    /// <param name="comments">Comments by frame index, or null.</param>
    /// <param name="cancel">Ends a wait for room (a file's source waits; a live one never does).</param>
    public int Append(in FrameBatch batch, ReadOnlySpan<int> indexes, int snaplen, Span<long> pendingDrops, FrameComments? comments, CancellationToken cancel)
    {
        var taken = 0;
        while (taken < indexes.Length)
        {
            // Nearly every frame goes in the plain loop; it stops at a frame with something to report (a comment, a
            // port's drops) or one that does not fit, which is handled here. It may also stop short of a commented
            // frame the filter did not keep: the next comment is then looked up again from where it stopped.
            var commented = comments?.NextAtOrAfter(indexes[taken]) ?? int.MaxValue;
            if (_current is { } current)
            {
                var appended = AppendPlain(current, batch, indexes[taken..], snaplen, pendingDrops, commented);
                taken += appended;
                if (appended > 0)
                {
                    continue;
                }
            }

            var index = indexes[taken];
            ref readonly var frame = ref batch.Frames[index];
            var port = frame.Port;
            var comment = index == commented ? comments!.Take(index) : default;
            if (pendingDrops[port] != 0 || !comment.IsEmpty)
            {
                if (!TryAppendWithOptions(frame, batch.Bytes(frame), Math.Min(frame.RestoredLength, snaplen), pendingDrops[port], comment, cancel))
                {
                    return taken;
                }

                pendingDrops[port] = 0;
                taken++;
                continue;
            }

            if (_current is { Length: 0 })
            {
                throw new ArgumentException($"a frame of {frame.CapturedLength} bytes (snaplen {snaplen}) does not fit a buffer segment of {_current.Capacity} bytes", nameof(snaplen));
            }

            if (NextSegment(cancel) is null)
            {
                return taken;
            }
        }

        return taken;
    }

    // The capture thread's loop: frames with nothing to report (no comment before frame index stopAt, no pending
    // drops on their port), encoded into the segment while they fit. No options ladder, no slice per field: one bound
    // check per frame by hand (the loop it replaces, which also took the rare frames, was 17.5 % of the box's CPU in
    // make profile-live's flood; this one 15-16 %, most of it the stores of the block into a segment line not yet in
    // cache).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int AppendPlain(BufferSegment segment, in FrameBatch batch, ReadOnlySpan<int> indexes, int snaplen, ReadOnlySpan<long> pendingDrops, int stopAt)
    {
        var frames = batch.Frames;
        var data = batch.Data;
        ref var source = ref MemoryMarshal.GetReference(data);
        var room = segment.Data;
        ref var destination = ref MemoryMarshal.GetReference(room);
        var capacity = room.Length;
        var length = segment.Length;
        var count = segment.Frames;
        var offsets = segment.FrameOffsets;
        var perPort = segment.FramesPerPort;
        var times = segment.Times;
        var n = 0;
        for (; n < indexes.Length; n++)
        {
            var index = indexes[n];
            ref readonly var frame = ref frames[index];
            var port = frame.Port;
            if (index >= stopAt || pendingDrops[port] != 0)
            {
                break;
            }

            var captured = frame.CapturedLength;
            if ((ulong)(uint)frame.Offset + (uint)captured > (uint)data.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(batch), $"frame {index} ({captured} bytes at {frame.Offset}) lies outside its batch of {data.Length} bytes");
            }

            var sliced = Math.Min(frame.RestoredLength, snaplen);
            var flags = (uint)frame.Direction;
            var size = PcapngBlocks.PlainEnhancedPacketLength(sliced, flags);
            if (capacity - length < size || (uint)count >= (uint)offsets.Length)
            {
                break;
            }

            ref var block = ref Unsafe.Add(ref destination, length);
            Slicer.Copy(frame, MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref source, frame.Offset), captured), MemoryMarshal.CreateSpan(ref Unsafe.Add(ref block, 28), sliced));
            PcapngBlocks.CompletePlainEnhancedPacketUnchecked(ref block, size, port, frame.TimestampNs, sliced, Slicer.RecordedWireLength(frame), flags);
            offsets[count++] = length;
            length += size;
            perPort[port]++;
            times.Add(frame.TimestampNs);
        }

        if (n > 0)
        {
            segment.Length = length;
            segment.Frames = count;
            segment.Times = times;
        }

        return n;
    }

    /// <summary>Capture thread: appends a whole prepared block (an event comment, or an interface declared late).</summary>
    public bool TryAppendBlock(ReadOnlySpan<byte> block, CancellationToken cancel, bool declaresInterface = false)
    {
        if (Room(block.Length, cancel) is not { } segment)
        {
            return false;
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
        segment.FrameOffsets[segment.Frames] = segment.Length;
        segment.Length += size;
        segment.Frames++;
        segment.FramesPerPort[frame.Port]++;
        var times = segment.Times;
        times.Add(frame.TimestampNs);
        segment.Times = times;
        segment.Drops += dropCount;
        return true;
    }

    // The current segment if it has room for size more bytes, else the next one (null: none free on a live source).
    private BufferSegment? Room(int size, CancellationToken cancel)
    {
        var segment = _current;
        return segment is null || segment.Remaining < size ? NextSegment(cancel) : segment;
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
