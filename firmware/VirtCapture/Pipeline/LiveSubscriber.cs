using System.Threading.Channels;

namespace VirtCapture.Pipeline;

/// <summary>
/// One live stream's queue of written segments, bounded in bytes (not in segments, whose size varies with the
/// traffic), and the frames it lost for being slow.
/// </summary>
internal sealed class LiveSubscriber
{
    private long _dropped;
    private long _queuedBytes;

    public LiveSubscriber(long maxQueuedBytes)
    {
        MaxQueuedBytes = maxQueuedBytes;
        Channel = System.Threading.Channels.Channel.CreateUnbounded<LiveSegment>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    }

    /// <summary>The queue; the reader calls <see cref="Consumed"/> for each segment it took, when done with its bytes.</summary>
    public Channel<LiveSegment> Channel { get; }

    /// <summary>Most bytes waiting for this client.</summary>
    public long MaxQueuedBytes { get; }

    /// <summary>Bytes waiting for this client now.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>Frames this subscriber lost.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Writer thread: queues a segment if it fits the byte budget (the queue then owns one reference), else counts
    /// its frames as lost and releases that reference.
    /// </summary>
    public void Offer(LiveSegment segment)
    {
        if (Interlocked.Read(ref _queuedBytes) + segment.Length > MaxQueuedBytes || !Channel.Writer.TryWrite(segment))
        {
            Interlocked.Add(ref _dropped, segment.Frames);
            segment.Release();
            return;
        }

        Interlocked.Add(ref _queuedBytes, segment.Length);
    }

    /// <summary>Reader: done with a segment taken off the queue.</summary>
    public void Consumed(LiveSegment segment)
    {
        Interlocked.Add(ref _queuedBytes, -segment.Length);
        segment.Release();
    }
}
