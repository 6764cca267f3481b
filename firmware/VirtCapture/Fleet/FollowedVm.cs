namespace VirtCapture.Fleet;

/// <summary>A VM followed across the site: where it is now, and where it has been (oldest first).</summary>
/// <param name="Mac">The VM.</param>
/// <param name="Now">Where it was last seen, if anywhere.</param>
/// <param name="History">Each box it was seen on, in order.</param>
public sealed record FollowedVm(string Mac, VmLocation? Now, IReadOnlyList<VmLocation> History);
