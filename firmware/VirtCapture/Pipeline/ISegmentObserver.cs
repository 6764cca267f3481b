using VirtCapture.Hal.Frames;

namespace VirtCapture.Pipeline;

/// <summary>
/// A seam on the writer thread: sees every buffer segment (whole pcapng blocks) in place right after it is stored,
/// before the segment is reused (the live streams and the incident recorder are observers). It must not keep the span.
/// </summary>
internal interface ISegmentObserver
{
    /// <summary>A segment was written.</summary>
    void SegmentWritten(BufferSegment segment, IReadOnlyList<CapturePort> ports);

    /// <summary>The capture ended: nothing more will come.</summary>
    void CaptureEnded();
}
