using System.Buffers;

namespace VirtCapture.Pipeline;

/// <summary>
/// One written segment shared by every live stream that queued it: its bytes come from a small pool and go back to
/// it when the last stream is done with them, so that stalled clients neither allocate a new large array per
/// segment nor leave them for a far-off collection.
/// </summary>
internal sealed class LiveSegment
{
    /// <summary>Arrays are pooled up to this size; a larger segment is allocated and left to the collector.</summary>
    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(maxArrayLength: 4 << 20, maxArraysPerBucket: 8);

    private int _references;

    private LiveSegment(byte[] data, int length, long frames, int references)
    {
        Data = data;
        Length = length;
        Frames = frames;
        _references = references;
    }

    /// <summary>The bytes (whole pcapng blocks) in <c>Data[..Length]</c>.</summary>
    public byte[] Data { get; }

    /// <summary>Bytes used.</summary>
    public int Length { get; }

    /// <summary>Frames in it.</summary>
    public long Frames { get; }

    /// <summary>A copy of <paramref name="blocks"/> held by <paramref name="references"/> owners.</summary>
    public static LiveSegment Copy(ReadOnlySpan<byte> blocks, long frames, int references)
    {
        var data = Pool.Rent(blocks.Length);
        blocks.CopyTo(data);
        return new LiveSegment(data, blocks.Length, frames, references);
    }

    /// <summary>One owner is done; the last one returns the bytes to the pool.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Pool.Return(Data);
        }
    }
}
