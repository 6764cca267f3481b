namespace VirtCapture.Fleet;

/// <summary>A box of the site as its retained state shows it: where its API answers, and its clock.</summary>
/// <param name="Box">Its name.</param>
/// <param name="Online">Whether it is online.</param>
/// <param name="ManagementUrl">Its API.</param>
/// <param name="Clock">Its clock.</param>
internal sealed record FleetBoxAddress(string Box, bool Online, string? ManagementUrl, ClockStatus? Clock);
