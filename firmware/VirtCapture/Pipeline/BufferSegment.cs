namespace VirtCapture.Pipeline;

/// <summary>One slab of the capture buffer: whole pcapng blocks, filled by the capture thread, drained by the writer.</summary>
internal sealed class BufferSegment
{
    public BufferSegment(int size, int ports)
    {
        Data = new byte[size];
        FramesPerPort = new long[ports];
        // The smallest frame block is 32 bytes: a full segment never holds more frames than this.
        FrameOffsets = new int[(size / PcapngBlocks.EnhancedPacketOverhead) + 1];
    }

    /// <summary>
    /// Where each frame's enhanced packet block starts, in order (<see cref="Frames"/> of them): observers go from frame
    /// to frame by this index instead of parsing the blocks to find the next.
    /// </summary>
    public int[] FrameOffsets { get; }

    /// <summary>Frames of each port in the segment (comment blocks are not frames).</summary>
    public long[] FramesPerPort { get; }

    /// <summary>Frames in the segment.</summary>
    public int Frames { get; set; }

    /// <summary>
    /// Interfaces the segment declares (a collector's sessions found while capturing): the ring carries each into the
    /// header of every later file.
    /// </summary>
    public int Interfaces { get; set; }

    /// <summary>Timestamp of the newest frame in the segment.</summary>
    public long LastTimestampNs { get; set; }

    /// <summary>Empties the segment for reuse.</summary>
    public void Reset()
    {
        Length = 0;
        Frames = 0;
        Interfaces = 0;
        LastTimestampNs = 0;
        Array.Clear(FramesPerPort);
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
