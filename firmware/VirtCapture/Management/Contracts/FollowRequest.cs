namespace VirtCapture.Management.Contracts;

/// <summary>POST /api/fleet/follow: follow (or stop following) a VM across the site.</summary>
/// <param name="Mac">The VM's MAC address.</param>
/// <param name="Follow">True to follow, false to stop.</param>
public sealed record FollowRequest(string? Mac, bool Follow = true);
