namespace VirtCapture.Extcap;

/// <summary>A box the engineer's Wireshark captures from: its name in the interface list, its API and its token.</summary>
/// <param name="Name">The name shown in Wireshark (letters, digits, '-', '_', '.').</param>
/// <param name="Url">The box's management API ("https://192.168.77.1:8443").</param>
/// <param name="TokenFile">A file holding the box's API token; empty when Wireshark asks for it (a password argument).</param>
/// <param name="Fingerprint">
/// The SHA-256 of the box's HTTPS certificate (as <c>virtcapture token</c> and the page print it): the box's own
/// certificate is trusted by this pin and nothing else. Empty: the system's CAs decide.
/// </param>
public sealed record ExtcapBox(string Name, string Url, string TokenFile, string Fingerprint = "");
