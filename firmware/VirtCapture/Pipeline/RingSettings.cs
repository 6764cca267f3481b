namespace VirtCapture.Pipeline;

/// <summary>How the ring file set names, rotates and retains files.</summary>
internal sealed record RingSettings
{
    /// <summary>Directory of the files.</summary>
    public required string Directory { get; init; }

    /// <summary>File name prefix ("vc" gives vc_000001_20261125163800.pcapng).</summary>
    public string Prefix { get; init; } = "vc";

    /// <summary>When set, a single file with exactly this path and no rotation.</summary>
    public string? SingleFile { get; init; }

    /// <summary>Rotate when a file reaches this size (0 = never).</summary>
    public long MaxFileBytes { get; init; }

    /// <summary>Rotate after this much time in a file (0 = never).</summary>
    public long MaxFileDurationNs { get; init; }

    /// <summary>Keep at most this many files (0 = no limit).</summary>
    public int MaxFiles { get; init; }

    /// <summary>Trigger-only mode: finished files whose frames are all older than this (ns of capture time) are deleted; 0: off.</summary>
    public long KeepNs { get; init; }

    /// <summary>Keep at least this share of the disk free (0 = no floor).</summary>
    public double MinFreePercent { get; init; }

    /// <summary>What to do when a limit is reached.</summary>
    public StorageFullPolicy OnFull { get; init; } = StorageFullPolicy.Overwrite;

    /// <summary>Longest time between fsyncs.</summary>
    public TimeSpan FsyncInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Write with O_DIRECT (the box's ring: the page cache's copy costs more CPU than the capture, and the ring's data
    /// is never read back soon). Off for an offline conversion, whose output is usually read at once.
    /// </summary>
    public bool DirectIo { get; init; } = true;

    /// <summary>
    /// fsync at every interval and before each close and rename (the box: a power cut loses at most the interval).
    /// Off for an offline conversion, which, like tcpdump and editcap, leaves write-back to the system: its input is
    /// still there if the power goes.
    /// </summary>
    public bool SyncToDisk { get; init; } = true;
}
