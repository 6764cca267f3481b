namespace VirtCapture.Management.Contracts;

/// <summary>POST /api/fleet/follow's answer.</summary>
/// <param name="Mac">The VM.</param>
/// <param name="Following">Whether it is followed now.</param>
public sealed record FollowResponse(string Mac, bool Following);
