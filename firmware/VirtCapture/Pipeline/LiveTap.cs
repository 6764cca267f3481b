using System.Runtime.CompilerServices;

namespace VirtCapture.Pipeline;

/// <summary>
/// Copies of what the writer stores, for live streams. Each subscriber has a queue bounded in bytes: a client too
/// slow to keep up loses segments (counted for it) and never slows the writer, let alone the capture. The number of
/// subscribers is capped too, so that the memory all of them can hold is bounded.
/// </summary>
internal sealed class LiveTap : ISegmentObserver
{
    private readonly Lock _lock = new();
    private LiveSubscriber[] _subscribers = [];

    /// <summary>Number of connected subscribers.</summary>
    public int Count => Volatile.Read(ref _subscribers).Length;

    /// <summary>Adds a subscriber, or returns null when <paramref name="maxSubscribers"/> are connected already.</summary>
    public LiveSubscriber? Subscribe(int maxSubscribers, long maxQueuedBytes)
    {
        var subscriber = new LiveSubscriber(maxQueuedBytes);
        lock (_lock)
        {
            if (_subscribers.Length >= maxSubscribers)
            {
                return null;
            }

            _subscribers = [.. _subscribers, subscriber];
        }

        return subscriber;
    }

    /// <summary>Removes a subscriber; what was queued for it becomes garbage at once.</summary>
    public void Unsubscribe(LiveSubscriber subscriber)
    {
        lock (_lock)
        {
            _subscribers = _subscribers.Where(s => s != subscriber).ToArray();
        }

        subscriber.Channel.Writer.TryComplete();
        while (subscriber.Channel.Reader.TryRead(out var segment))
        {
            subscriber.Consumed(segment);
        }
    }

    /// <summary>Writer thread: hands a written segment to every subscriber that has room.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SegmentWritten(BufferSegment segment, IReadOnlyList<Hal.Frames.CapturePort> ports)
    {
        var subscribers = Volatile.Read(ref _subscribers);
        if (subscribers.Length == 0 || segment.Length == 0)
        {
            return;
        }

        // One pooled copy per segment for all clients, and only while someone watches.
        var copy = LiveSegment.Copy(segment.Blocks, segment.Frames, subscribers.Length);
        foreach (var subscriber in subscribers)
        {
            subscriber.Offer(copy);
        }
    }

    /// <summary>The capture ended: every stream ends after what it has.</summary>
    public void CaptureEnded()
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber.Channel.Writer.TryComplete();
        }
    }
}
