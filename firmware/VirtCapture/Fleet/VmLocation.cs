namespace VirtCapture.Fleet;

/// <summary>virtcapture/SITE/vm/MAC, retained: where a followed VM was last seen.</summary>
/// <param name="Mac">The VM.</param>
/// <param name="Box">The box that saw it.</param>
/// <param name="Port">On which port.</param>
/// <param name="Vlan">In which VLAN.</param>
/// <param name="Time">When.</param>
/// <param name="How">What showed it: its traffic, or the announcement a migration sends (RARP, gratuitous ARP, NA).</param>
public sealed record VmLocation(string Mac, string Box, string Port, int Vlan, DateTimeOffset Time, string How);
