namespace VirtCapture.Pipeline;

/// <summary>Settings of one capture run through the data path.</summary>
internal sealed record PipelineSettings
{
    /// <summary>Memory of the capture buffer.</summary>
    public long BufferBytes { get; init; } = 64L << 20;

    /// <summary>Size of one buffer segment; holds at least one maximal frame.</summary>
    public int SegmentBytes { get; init; } = 1 << 20;

    /// <summary>Stop after this many accepted frames (0 = no limit), like dumpcap's -c.</summary>
    public long FrameLimit { get; init; }

    /// <summary>A partly filled segment is handed to the writer after this long (bounds what a power cut can take).</summary>
    public TimeSpan PublishAfter { get; init; } = TimeSpan.FromMilliseconds(200);


    /// <summary>Text for shb_hardware.</summary>
    public string Hardware { get; init; } = "VirtCapture simulated board";
}
