namespace VirtCapture.Daemon;

/// <summary>Measures the capture disk. A class of its own so tests can stand in a full disk.</summary>
internal class StorageProbe
{
    /// <summary>Free and total bytes of the file system holding <paramref name="directory"/>.</summary>
    public virtual (long Free, long Total) Measure(string directory)
    {
        var drive = new DriveInfo(Path.GetFullPath(directory));
        return (drive.AvailableFreeSpace, drive.TotalSize);
    }

    /// <summary>Share of the disk in use, in percent.</summary>
    public double UsedPercent(string directory)
    {
        var (free, total) = Measure(directory);
        return total <= 0 ? 0 : 100.0 * (total - free) / total;
    }
}
