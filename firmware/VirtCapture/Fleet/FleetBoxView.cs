namespace VirtCapture.Fleet;

/// <summary>A box of the site as its retained state shows it.</summary>
/// <param name="Box">Its name.</param>
/// <param name="Online">Online, or its Will said offline.</param>
/// <param name="State">Its capture state.</param>
/// <param name="ManagementUrl">Its API.</param>
/// <param name="Clock">Its clock.</param>
public sealed record FleetBoxView(string Box, bool Online, string? State, string? ManagementUrl, ClockStatus? Clock);
