using VirtCapture.Hal.Frames;
using VirtCapture.Pipeline;

namespace VirtCapture.Tests.Support;

/// <summary>One frame at a time into the capture buffer, through the batch append the capture loop uses.</summary>
internal static class BufferedFrames
{
    /// <summary>Appends <paramref name="bytes"/> as one frame (whole, no drop count); false when a live buffer has no room.</summary>
    public static bool AppendOne(this FrameBuffer buffer, FrameRecord frame, byte[] bytes, int ports = 2)
    {
        frame.Offset = 0;
        var batch = new FrameBatch(bytes, [frame]);
        return buffer.Append(batch, [0], Slicer.MaxSnaplen, new long[ports], comments: null, CancellationToken.None) == 1;
    }
}
