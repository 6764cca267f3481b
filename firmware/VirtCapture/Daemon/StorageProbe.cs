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

    /// <summary>
    /// Proves that files can be created in <paramref name="directory"/> (made if missing when <paramref name="create"/>),
    /// so that a read-only or foreign directory is one clear line before the capture starts, not a failure later.
    /// </summary>
    /// <exception cref="IOException">The directory cannot be written; the message names <paramref name="what"/>.</exception>
    public static void EnsureWritable(string directory, string what, bool create)
    {
        try
        {
            if (create)
            {
                Directory.CreateDirectory(directory);
            }
            else if (!Directory.Exists(directory))
            {
                throw new DirectoryNotFoundException("it does not exist");
            }

            var probe = Path.Combine(directory, $".virtcapture-probe-{Environment.ProcessId}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e is UnauthorizedAccessException ? "permission denied" : e is DirectoryNotFoundException ? "it does not exist" : e.Message;
            throw new IOException($"{what} {directory}: cannot write there ({reason})", e);
        }
    }

    /// <summary>Share of the disk in use, in percent.</summary>
    public double UsedPercent(string directory)
    {
        var (free, total) = Measure(directory);
        return total <= 0 ? 0 : 100.0 * (total - free) / total;
    }
}
