namespace VirtCapture.Extcap;

/// <summary>
/// A site whose boxes Wireshark lists without adding each one: the broker's retained box states say which boxes are
/// online and where their API answers. Written by <c>virtcapture extcap --add-fleet</c>.
/// </summary>
/// <param name="Broker">The site's MQTT broker (<c>mqtt://host:1883</c>, <c>mqtts://host:8883</c>).</param>
/// <param name="Site">The site (the second level of the fleet's topics).</param>
/// <param name="CredentialsFile">A file holding <c>user:password</c> for the broker (0600), or empty.</param>
/// <param name="TokenFile">The API token the site's boxes share.</param>
public sealed record ExtcapFleet(string Broker, string Site, string CredentialsFile, string TokenFile)
{
    /// <summary>The fleet's broker settings as the fleet tools take them.</summary>
    internal Fleet.FleetOptions Options => new() { Broker = Broker, Site = Site, CredentialsFile = CredentialsFile };
}
