namespace VirtCapture.Management.Contracts;

/// <summary>
/// The VM inventory in the status: how full it is, and the frames of MACs it had no room for (a flood of random
/// source MACs fills it; those frames are still recorded, only not attributed to a VM).
/// </summary>
public sealed record VmInventoryStatus(int Tracked, int Limit, long UntrackedFrames);
