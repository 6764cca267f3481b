namespace VirtCapture.Storage;

/// <summary>
/// The one place the box asks how full its disk is: the ring before each write, the status snapshot, the panel and
/// the metrics all read it. One <c>statvfs</c>, no allocation. Tests replace it with a disk of their choosing.
/// </summary>
internal class DiskSpace
{
    /// <summary>Free bytes (what a write can use) and total bytes of the file system holding <paramref name="directory"/>.</summary>
    /// <exception cref="IOException">The directory cannot be measured (it does not exist, permission denied).</exception>
    public virtual (long Free, long Total) Measure(string directory) => Hal.Interop.FileSystemNative.Measure(directory);

    /// <summary>Percentage of the disk in use.</summary>
    public double UsedPercent(string directory)
    {
        var (free, total) = Measure(directory);
        return total <= 0 ? 0 : 100.0 * (total - free) / total;
    }
}
