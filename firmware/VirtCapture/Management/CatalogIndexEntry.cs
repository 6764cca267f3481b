namespace VirtCapture.Management;

/// <summary>One finished capture file's summary as kept in the catalog's index, valid while size and time match.</summary>
/// <param name="Name">File name.</param>
/// <param name="Size">Bytes.</param>
/// <param name="ModifiedTicks">Last write time (UTC ticks).</param>
/// <param name="First">First frame's time.</param>
/// <param name="Last">Last frame's time.</param>
/// <param name="Frames">Frames.</param>
/// <param name="Drops">Frames reported dropped in it.</param>
public sealed record CatalogIndexEntry(string Name, long Size, long ModifiedTicks, DateTimeOffset? First, DateTimeOffset? Last, long Frames, long Drops);
