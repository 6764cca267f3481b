using System.Threading.Channels;

namespace VirtCapture.Pipeline;

/// <summary>One live stream's queue of written segments, and the frames it lost for being slow.</summary>
internal sealed class LiveSubscriber
{
    private long _dropped;

    public LiveSubscriber(Channel<byte[]> channel)
    {
        Channel = channel;
    }

    /// <summary>The queue.</summary>
    public Channel<byte[]> Channel { get; }

    /// <summary>Frames this subscriber lost.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Counts lost frames.</summary>
    public void AddDropped(long frames) => Interlocked.Add(ref _dropped, frames);
}
