namespace VirtCapture.Hal.Frames;

/// <summary>What <see cref="IFrameSource.ReadBatch"/> produced.</summary>
public enum BatchResult
{
    /// <summary>The batch holds one or more frames.</summary>
    Frames,

    /// <summary>Nothing arrived within the timeout; the batch is empty.</summary>
    Timeout,

    /// <summary>A finite source (a file) has no more frames.</summary>
    EndOfInput,
}
