namespace VirtCapture.Fleet;

/// <summary>The broker's address as <c>Fleet:Broker</c> gives it.</summary>
/// <param name="Host">Host name or address.</param>
/// <param name="Port">TCP port (1883, or 8883 with TLS, unless given).</param>
/// <param name="Tls">mqtts://.</param>
internal sealed record FleetBroker(string Host, int Port, bool Tls)
{
    /// <summary>The client options every fleet connection starts from: this broker, MQTT 5, the credentials, TLS.</summary>
    public MQTTnet.MqttClientOptionsBuilder Options(string clientId, FleetCredentials? credentials)
    {
        var builder = new MQTTnet.MqttClientOptionsBuilder()
            .WithTcpServer(Host, Port)
            .WithClientId(clientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(5));
        if (credentials is not null)
        {
            builder = builder.WithCredentials(credentials.User, credentials.Password);
        }

        return Tls ? builder.WithTlsOptions(o => o.UseTls()) : builder;
    }

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
