using VirtCapture.Hal.Frames;

namespace VirtCapture.Pipeline;

/// <summary>
/// A seam on the capture thread: looks at each accepted frame and may give it a pcapng comment (the VM announcement
/// detector is one). Runs once per frame on the hot path: it must not allocate for a frame it leaves alone.
/// </summary>
internal interface IFrameAnnotator
{
    /// <summary>The comment for this frame (UTF-8), or null.</summary>
    byte[]? Annotate(in FrameRecord frame, ReadOnlySpan<byte> bytes, CapturePort port);
}
