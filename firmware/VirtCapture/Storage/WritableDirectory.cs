namespace VirtCapture.Storage;

/// <summary>Proves a directory can take a capture before anything is started in it.</summary>
internal static class WritableDirectory
{
    /// <summary>Creates (when asked) and writes a probe file in <paramref name="directory"/>.</summary>
    /// <param name="directory">The directory.</param>
    /// <param name="what">The setting or option that named it, for the message.</param>
    /// <param name="create">Create it when missing.</param>
    /// <exception cref="IOException">It cannot be written; the message names the setting, the directory and why.</exception>
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
}
