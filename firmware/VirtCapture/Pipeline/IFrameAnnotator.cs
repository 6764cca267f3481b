using VirtCapture.Hal.Frames;

namespace VirtCapture.Pipeline;

/// <summary>
/// A seam on the capture thread: looks at each batch of frames and may give a rare frame a pcapng comment (the VM
/// announcement detector is one). Called once per batch, not once per frame, so a frame it leaves alone costs the
/// annotator's own loop and nothing else; it must not allocate for such a frame.
/// </summary>
internal interface IFrameAnnotator
{
    /// <summary>Adds a comment (UTF-8) for each frame of <paramref name="batch"/> that needs one.</summary>
    /// <param name="batch">The frames, as the source lent them; only those the capture filter accepts are kept.</param>
    /// <param name="ports">The source's ports, indexed by <see cref="FrameRecord.Port"/>.</param>
    /// <param name="comments">Where comments go, by frame index in the batch.</param>
    void Annotate(in FrameBatch batch, IReadOnlyList<CapturePort> ports, FrameComments comments);
}
