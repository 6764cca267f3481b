using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VirtCapture.Pipeline;

/// <summary>
/// One slab of the capture buffer: whole pcapng blocks, filled by the capture thread, drained by the writer. The
/// blocks start on a memory page with <see cref="Headroom"/> free bytes in front, where the writer puts the file's
/// unfinished page and a padding block: the segment then goes to an O_DIRECT file from here, without a staging copy.
/// </summary>
internal sealed class BufferSegment
{
    /// <summary>Free bytes in front of the blocks, whole pages: room for an unfinished page and a padding block.</summary>
    public const int Headroom = 2 * Page;

    private const int Page = 4096;
    private readonly byte[] _memory;
    private readonly int _dataAt;

    public BufferSegment(int size, int ports)
    {
        // Pinned, so the page found here stays the page; uninitialised, so pages the capture never reaches are never
        // touched (nor resident).
        _memory = GC.AllocateUninitializedArray<byte>(Headroom + size + Page, pinned: true);
        _dataAt = Headroom + PageOffset(_memory);
        Capacity = size;
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

    /// <summary>The first and the newest frame's time, as a walk of the segment's blocks finds them.</summary>
    public PcapngFrameTimes Times { get; set; }

    /// <summary>Frames lost before the segment's frames, as their blocks report them (epb_dropcount).</summary>
    public long Drops { get; set; }

    /// <summary>Empties the segment for reuse.</summary>
    public void Reset()
    {
        Length = 0;
        Frames = 0;
        Interfaces = 0;
        Times = default;
        Drops = 0;
        Array.Clear(FramesPerPort);
    }

    /// <summary>The slab, <see cref="Capacity"/> bytes.</summary>
    public Span<byte> Data => _memory.AsSpan(_dataAt, Capacity);

    /// <summary>The blocks written so far.</summary>
    public ReadOnlySpan<byte> Blocks => _memory.AsSpan(_dataAt, Length);

    /// <summary>The blocks written so far with <see cref="Headroom"/> free bytes in front; starts on a memory page.</summary>
    public Span<byte> BlocksWithHeadroom => _memory.AsSpan(_dataAt - Headroom, Headroom + Length);

    /// <summary>Size of the slab.</summary>
    public int Capacity { get; }

    /// <summary>Bytes in use.</summary>
    public int Length { get; set; }

    /// <summary>When the capture thread started filling it (Stopwatch ticks).</summary>
    public long StartedTicks { get; set; }

    /// <summary>Free space.</summary>
    public int Remaining => Capacity - Length;

    private static unsafe int PageOffset(byte[] pinned)
    {
        var address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
        return (int)((Page - (address & (Page - 1))) & (Page - 1));
    }
}
