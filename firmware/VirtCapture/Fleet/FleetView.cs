namespace VirtCapture.Fleet;

/// <summary>GET /api/fleet: the site as this box sees it through the broker.</summary>
/// <param name="Enabled">Whether the box is in a fleet (Fleet:Broker).</param>
/// <param name="Connected">Whether it is connected to the broker now.</param>
/// <param name="Site">The site.</param>
/// <param name="Box">This box.</param>
/// <param name="Followed">The followed VMs.</param>
/// <param name="Boxes">The site's boxes, from their retained states.</param>
public sealed record FleetView(bool Enabled, bool Connected, string Site, string Box, IReadOnlyList<FollowedVm> Followed, IReadOnlyList<FleetBoxView> Boxes);
