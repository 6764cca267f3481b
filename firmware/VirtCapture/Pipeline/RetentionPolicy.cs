namespace VirtCapture.Pipeline;

/// <summary>
/// The ring's retention as one pure function of the files it holds and the disk: the file count limit, the free-space
/// floor, room for the next write whatever the floor, MARK protection and the OnFull policy. No I/O, no clock: the
/// ring measures, asks, and carries out the answer.
/// </summary>
internal static class RetentionPolicy
{
    /// <summary>Decides before a write of <paramref name="bytesNeeded"/> bytes (or a new file).</summary>
    /// <param name="settings">MaxFiles, MinFreePercent, OnFull.</param>
    /// <param name="finished">The ring's closed files, oldest first.</param>
    /// <param name="isProtected">Whether a file is protected by a MARK.</param>
    /// <param name="free">Free bytes on the disk now.</param>
    /// <param name="total">Size of the disk (0 when unknown: no space limit applies).</param>
    /// <param name="forNewFile">A new file is about to be opened (it counts against MaxFiles).</param>
    /// <param name="bytesNeeded">Bytes the next write may put on the disk.</param>
    /// <param name="nowNs">The capture time the new file opens at, for the age rule (0: not opening a file).</param>
    public static RetentionDecision Decide(RingSettings settings, IReadOnlyList<RingFile> finished, Func<string, bool> isProtected, long free, long total, bool forNewFile, long bytesNeeded, long nowNs = 0)
    {
        // Trigger-only mode: the ring is the last minutes and nothing else; what must stay longer is an incident.
        if (settings.KeepNs > 0 && nowNs > 0)
        {
            foreach (var file in finished)
            {
                if (!isProtected(file.Path) && EndOf(file) < nowNs - settings.KeepNs)
                {
                    return new RetentionDecision(file, null, $"its frames are older than the ring's {settings.KeepNs / 1_000_000_000} s (Storage:KeepSeconds)");
                }
            }
        }

        // Protected files stand outside the ring: a MARK keeps its minutes and the ring goes on round them (they still
        // take disk space, which the floor below sees).
        var tooMany = forNewFile && settings.MaxFiles > 0 && Unprotected(finished, isProtected) + 1 > settings.MaxFiles;
        var floor = (long)(total * settings.MinFreePercent / 100);
        var tooFull = total > 0 && free - bytesNeeded < floor;
        if (!tooMany && !tooFull)
        {
            return RetentionDecision.Proceed;
        }

        var reason = tooMany ? $"the ring holds its maximum of {settings.MaxFiles} files"
            : settings.MinFreePercent > 0 ? $"free space is below {settings.MinFreePercent}% (with room for the next {bytesNeeded / 1024} KiB)"
            : $"the disk is full (less than the next {bytesNeeded / 1024} KiB free)";
        if (settings.OnFull == StorageFullPolicy.Stop)
        {
            return new RetentionDecision(null, reason, reason);
        }

        foreach (var file in finished)
        {
            if (!isProtected(file.Path))
            {
                return new RetentionDecision(file, null, reason);
            }
        }

        return new RetentionDecision(null, reason + (finished.Count == 0 ? " and there is no older file to delete" : " and every older file is protected"), reason);
    }

    private static long EndOf(RingFile file) =>
        file.EndNs > 0 ? file.EndNs : (File.GetLastWriteTimeUtc(file.Path).Ticks - DateTime.UnixEpoch.Ticks) * 100;

    private static int Unprotected(IReadOnlyList<RingFile> finished, Func<string, bool> isProtected)
    {
        var count = 0;
        foreach (var file in finished)
        {
            count += isProtected(file.Path) ? 0 : 1;
        }

        return count;
    }
}
