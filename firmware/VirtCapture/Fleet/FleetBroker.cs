namespace VirtCapture.Fleet;

/// <summary>The broker's address as <c>Fleet:Broker</c> gives it.</summary>
/// <param name="Host">Host name or address.</param>
/// <param name="Port">TCP port (1883, or 8883 with TLS, unless given).</param>
/// <param name="Tls">mqtts://.</param>
internal sealed record FleetBroker(string Host, int Port, bool Tls)
{
    /// <summary>Reads mqtt://HOST[:PORT] or mqtts://HOST[:PORT], or null.</summary>
    public static FleetBroker? TryParse(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || uri.AbsolutePath is not ("" or "/") || uri.UserInfo.Length > 0)
        {
            return null;
        }

        return uri.Scheme switch
        {
            "mqtt" => new FleetBroker(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? 1883 : uri.Port, false),
            "mqtts" => new FleetBroker(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? 8883 : uri.Port, true),
            _ => null,
        };
    }
}
