namespace VirtCapture.Management.Contracts;

/// <summary>The capture disk in the status.</summary>
public sealed record StorageStatus(string Directory, long FreeBytes, long TotalBytes, double UsedPercent, int Files, long Bytes, IReadOnlyCollection<string> Protected, bool Stopped);
