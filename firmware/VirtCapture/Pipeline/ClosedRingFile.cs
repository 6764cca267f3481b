namespace VirtCapture.Pipeline;

/// <summary>
/// A file the ring closed, with the tallies of what it wrote into it: exactly what a walk of the file's blocks would
/// find, so a reader can list the file without reading its frames.
/// </summary>
/// <param name="Path">Full path, after the rename.</param>
/// <param name="Length">Its size when closed.</param>
/// <param name="ModifiedUtc">Its last write time when closed.</param>
/// <param name="Frames">Frames in it (comment-only event blocks are not frames).</param>
/// <param name="Drops">Frames lost before them, as its blocks report it (the sum of their epb_dropcount).</param>
/// <param name="FirstNs">Its first frame's timestamp (the first not stamped 0); 0 without frames.</param>
/// <param name="LastNs">Its newest frame's timestamp; 0 without frames.</param>
internal sealed record ClosedRingFile(string Path, long Length, DateTime ModifiedUtc, long Frames, long Drops, long FirstNs, long LastNs);
