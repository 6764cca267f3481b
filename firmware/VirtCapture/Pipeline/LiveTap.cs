using System.Threading.Channels;

namespace VirtCapture.Pipeline;

/// <summary>
/// Copies of what the writer stores, for live streams. Each subscriber has a small bounded queue: a client too slow
/// to keep up loses segments (counted for it) and never slows the writer, let alone the capture.
/// </summary>
internal sealed class LiveTap
{
    private readonly Lock _lock = new();
    private LiveSubscriber[] _subscribers = [];

    /// <summary>Number of connected subscribers.</summary>
    public int Count => Volatile.Read(ref _subscribers).Length;

    /// <summary>Adds a subscriber.</summary>
    public LiveSubscriber Subscribe(int segments = 32)
    {
        var subscriber = new LiveSubscriber(Channel.CreateBounded<byte[]>(new BoundedChannelOptions(segments) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait }));
        lock (_lock)
        {
            _subscribers = [.. _subscribers, subscriber];
        }

        return subscriber;
    }

    /// <summary>Removes a subscriber.</summary>
    public void Unsubscribe(LiveSubscriber subscriber)
    {
        lock (_lock)
        {
            _subscribers = _subscribers.Where(s => s != subscriber).ToArray();
        }
    }

    /// <summary>Writer thread: hands a written segment to every subscriber that has room.</summary>
    public void Publish(BufferSegment segment)
    {
        var subscribers = Volatile.Read(ref _subscribers);
        if (subscribers.Length == 0 || segment.Length == 0)
        {
            return;
        }

        // One copy per segment for all clients, and only while someone watches.
        var copy = segment.Data.AsSpan(0, segment.Length).ToArray();
        foreach (var subscriber in subscribers)
        {
            if (!subscriber.Channel.Writer.TryWrite(copy))
            {
                subscriber.AddDropped(segment.Frames);
            }
        }
    }

    /// <summary>The capture ended: every stream ends after what it has.</summary>
    public void Complete()
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber.Channel.Writer.TryComplete();
        }
    }
}
