namespace VirtCapture.Management;

/// <summary>What the capture list shows of one file.</summary>
/// <param name="Name">File name.</param>
/// <param name="Size">Bytes.</param>
/// <param name="FirstTimestamp">First frame's time (null when empty).</param>
/// <param name="LastTimestamp">Last frame's time.</param>
/// <param name="Frames">Frames in the file.</param>
/// <param name="Drops">Frames lost before frames of this file (sum of epb_dropcount).</param>
/// <param name="Protected">Kept by a MARK.</param>
/// <param name="Writing">Being written now.</param>
/// <param name="Modified">Last modification.</param>
public sealed record CaptureFileSummary(string Name, long Size, DateTimeOffset? FirstTimestamp, DateTimeOffset? LastTimestamp, long Frames, long Drops, bool Protected, bool Writing, DateTimeOffset Modified);
