using VirtCapture.Hal.Frames;

namespace VirtCapture.Hal.Replay;

/// <summary>One on-disk format (pcap or pcapng) as the replay source reads it: record by record, in place.</summary>
internal interface ICaptureFileFormat
{
    /// <summary>The interfaces found in the file's header.</summary>
    IReadOnlyList<CapturePort> Ports { get; }

    /// <summary>
    /// Parses the record at the start of <paramref name="data"/>. <paramref name="fileOffset"/> is where it starts in
    /// the file, for error messages. Sets <paramref name="consumed"/> to the record's size.
    /// </summary>
    /// <exception cref="CaptureFileFormatException">The record is damaged.</exception>
    RecordParse Parse(ReadOnlySpan<byte> data, long fileOffset, ref FrameRecord frame, out int consumed);
}
