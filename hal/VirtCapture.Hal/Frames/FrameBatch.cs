namespace VirtCapture.Hal.Frames;

/// <summary>
/// A batch of frames lent by a source: the frames' bytes and their descriptions. Valid until the next call to
/// <see cref="IFrameSource.ReadBatch"/>; copy what you keep.
/// </summary>
public readonly ref struct FrameBatch
{
    /// <summary>Creates a batch over a source's memory.</summary>
    public FrameBatch(ReadOnlySpan<byte> data, ReadOnlySpan<FrameRecord> frames)
    {
        Data = data;
        Frames = frames;
    }

    /// <summary>The memory the frames' offsets point into.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>The frames, in the order the source saw them.</summary>
    public ReadOnlySpan<FrameRecord> Frames { get; }

    /// <summary>Bytes of one frame as captured (without a stripped VLAN tag).</summary>
    public ReadOnlySpan<byte> Bytes(in FrameRecord frame) => Data.Slice(frame.Offset, frame.CapturedLength);
}
