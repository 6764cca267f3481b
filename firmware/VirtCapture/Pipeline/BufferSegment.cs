namespace VirtCapture.Pipeline;

/// <summary>One slab of the capture buffer: whole pcapng blocks, filled by the capture thread, drained by the writer.</summary>
internal sealed class BufferSegment
{
    public BufferSegment(int size)
    {
        Data = new byte[size];
    }

    /// <summary>The slab.</summary>
    public byte[] Data { get; }

    /// <summary>Bytes in use.</summary>
    public int Length { get; set; }

    /// <summary>When the capture thread started filling it (Stopwatch ticks).</summary>
    public long StartedTicks { get; set; }

    /// <summary>Free space.</summary>
    public int Remaining => Data.Length - Length;
}
