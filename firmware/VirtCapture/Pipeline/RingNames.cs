using System.Globalization;

namespace VirtCapture.Pipeline;

/// <summary>
/// The ring's file names, dumpcap's pattern: <c>PREFIX_NNNNNN_YYYYMMDDHHMMSS.pcapng</c>, a sequence number that is
/// never used twice and the UTC time the file was opened. The one place that makes and reads them.
/// </summary>
internal static class RingNames
{
    /// <summary>The name of file <paramref name="sequence"/> opened at <paramref name="openedNs"/>.</summary>
    public static string Name(string prefix, long sequence, long openedNs)
    {
        var stamp = DateTimeOffset.FromUnixTimeMilliseconds(openedNs / 1_000_000).UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        return $"{prefix}_{sequence:D6}_{stamp}.pcapng";
    }

    /// <summary>Finished ring files of <paramref name="prefix"/> in a directory, oldest first.</summary>
    public static List<RingFile> ExistingFiles(string directory, string prefix)
    {
        var files = new List<RingFile>();
        if (!Directory.Exists(directory))
        {
            return files;
        }

        foreach (var path in Directory.EnumerateFiles(directory, prefix + "_*.pcapng"))
        {
            if (TryParseSequence(Path.GetFileName(path), prefix) is { } sequence)
            {
                files.Add(new RingFile(path, sequence));
            }
        }

        files.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return files;
    }

    /// <summary>The highest sequence number any file of the prefix carries (.pcapng, .part, .damaged alike), or 0.</summary>
    /// <summary>The ring's files in sequence order, the one being written (<c>.part</c>) included, last.</summary>
    public static List<RingFile> FilesWithCurrent(string directory, string prefix)
    {
        var files = ExistingFiles(directory, prefix);
        if (Directory.Exists(directory))
        {
            foreach (var path in Directory.EnumerateFiles(directory, prefix + "_*.pcapng" + RingFileSet.PartSuffix))
            {
                if (TryParseSequence(Path.GetFileName(path), prefix) is { } sequence)
                {
                    files.Add(new RingFile(path, sequence));
                }
            }
        }

        files.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return files;
    }

    public static long HighestSequence(string directory, string prefix)
    {
        long highest = 0;
        foreach (var path in Directory.EnumerateFiles(directory, prefix + "_*"))
        {
            if (TryParseSequence(Path.GetFileName(path), prefix) is { } sequence)
            {
                highest = Math.Max(highest, sequence);
            }
        }

        return highest;
    }

    /// <summary>The sequence number in a ring file's name, or null for another name.</summary>
    public static long? TryParseSequence(string name, string prefix)
    {
        var rest = name.AsSpan(prefix.Length + 1);
        var underscore = rest.IndexOf('_');
        return underscore > 0 && long.TryParse(rest[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence : null;
    }
}
