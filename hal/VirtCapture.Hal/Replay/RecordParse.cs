namespace VirtCapture.Hal.Replay;

/// <summary>Outcome of parsing one record or block of a capture file.</summary>
internal enum RecordParse
{
    /// <summary>A frame was parsed.</summary>
    Frame,

    /// <summary>A block that carries no frame was consumed.</summary>
    Skipped,

    /// <summary>The record is not wholly in the buffer yet.</summary>
    NeedMore,
}
