using VirtCapture.Hal.Frames;

namespace VirtCapture.Pipeline;

/// <summary>
/// A seam on the capture thread: sees each run of frame blocks right after the capture thread appended them to a
/// buffer segment, while their bytes are still in that core's cache, and before the writer gets the segment. (The
/// writer's core would fetch every line of the segment from the other core a second time: the VM inventory's walk
/// there cost a sixth of the box's CPU in a flood, make bench-live.) It must be quick, must not allocate for a frame it
/// has seen the like of, and must not keep the segment.
/// </summary>
internal interface IBlockObserver
{
    /// <summary>
    /// Frames <paramref name="firstFrame"/> to <see cref="BufferSegment.Frames"/> (exclusive) of
    /// <paramref name="segment"/> were appended; <see cref="BufferSegment.FrameOffsets"/> says where each block starts.
    /// </summary>
    /// <param name="segment">The segment being filled.</param>
    /// <param name="firstFrame">The first frame not shown before.</param>
    /// <param name="ports">The source's ports, indexed by the blocks' interface ids.</param>
    void BlocksAppended(BufferSegment segment, int firstFrame, IReadOnlyList<CapturePort> ports);
}
