namespace VirtCapture.Pipeline;

/// <summary>What the ring does when it reaches its file count or the disk's free-space floor.</summary>
public enum StorageFullPolicy
{
    /// <summary>Delete the oldest unprotected file and go on.</summary>
    Overwrite,

    /// <summary>Stop capturing and keep everything.</summary>
    Stop,
}
