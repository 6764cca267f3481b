using VirtCapture.Pipeline;

namespace VirtCapture.Configuration;

/// <summary>The <c>Storage</c> section.</summary>
/// <remarks>
/// Treated as immutable once bound: the setters are for the configuration binder, which binds into an existing
/// instance; a change (the API's) is a new record made with <c>with</c>.
/// </remarks>
public sealed record StorageOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Storage";

    /// <summary>Where the ring files live (the SSD's mount point).</summary>
    public string Directory { get; set; } = "/var/lib/virtcapture/captures";

    /// <summary>Rotate at this size in MB (0 = no size limit).</summary>
    public int FileSizeMB { get; set; } = 100;

    /// <summary>Rotate after this many seconds (0 = no time limit).</summary>
    public int FileDurationSeconds { get; set; }

    /// <summary>Keep at most this many files (0 = only free space limits the ring).</summary>
    public int MaxFiles { get; set; }

    /// <summary>
    /// Trigger-only mode: the ring keeps only the last this many seconds of capture and deletes older files (MARKed files
    /// and files an incident needs excepted), so a box can watch for weeks and keep only its incidents. 0: off.
    /// Files rotate at a tenth of it unless <see cref="FileDurationSeconds"/> says otherwise.
    /// </summary>
    public int KeepSeconds { get; set; }

    /// <summary>
    /// Where incidents are kept; empty: <c>incidents/</c> in <see cref="Directory"/>. Set it to the SSD when the ring is
    /// in RAM (a tmpfs at <see cref="Directory"/>) in trigger-only mode.
    /// </summary>
    public string IncidentDirectory { get; set; } = string.Empty;

    /// <summary>Keep at least this share of the disk free.</summary>
    public double MinFreePercent { get; set; } = 5;

    /// <summary>Overwrite (delete the oldest unprotected file) or Stop (stop capturing, keep everything).</summary>
    public string OnFull { get; set; } = nameof(StorageFullPolicy.Overwrite);

    /// <summary>Longest time between fsyncs: the most a power cut can take.</summary>
    public int FsyncIntervalMs { get; set; } = 1000;

    /// <summary>The parsed <see cref="OnFull"/> (valid after validation).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public StorageFullPolicy OnFullPolicy => Enum.Parse<StorageFullPolicy>(OnFull, ignoreCase: true);
}
