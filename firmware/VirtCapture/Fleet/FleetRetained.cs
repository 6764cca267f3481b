using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace VirtCapture.Fleet;

/// <summary>
/// The fleet as a tool sees it, once: a short connection to the broker that reads the site's retained messages (box
/// states, followed VMs, locations) and leaves. Used by <c>virtcapture fleet</c> and by the Wireshark extcap.
/// </summary>
internal static class FleetRetained
{
    /// <summary>Every retained message under <paramref name="filters"/>, by topic (cleared ones left out).</summary>
    /// <exception cref="UserErrorException">The broker cannot be reached or refuses.</exception>
    public static async Task<SortedDictionary<string, string>> ReadAsync(FleetOptions options, string[] filters, CancellationToken cancel)
    {
        using var client = await ConnectAsync(options, cancel).ConfigureAwait(false);
        var received = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var last = DateTime.UtcNow;
        client.ApplicationMessageReceivedAsync += e =>
        {
            lock (received)
            {
                received[e.ApplicationMessage.Topic] = e.ApplicationMessage.Payload.IsEmpty ? string.Empty : Encoding.UTF8.GetString(e.ApplicationMessage.Payload);
                last = DateTime.UtcNow;
            }

            return Task.CompletedTask;
        };
        foreach (var filter in filters)
        {
            await client.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce, cancel).ConfigureAwait(false);
        }

        // Retained messages arrive at once after subscribing; a short quiet spell means all have come.
        var started = DateTime.UtcNow;
        while (DateTime.UtcNow - started < TimeSpan.FromMilliseconds(500) || (DateTime.UtcNow - started < TimeSpan.FromSeconds(3) && DateTime.UtcNow - last < TimeSpan.FromMilliseconds(500)))
        {
            await Task.Delay(100, cancel).ConfigureAwait(false);
        }

        await client.DisconnectAsync(cancellationToken: cancel).ConfigureAwait(false);
        lock (received)
        {
            return new SortedDictionary<string, string>(received.Where(p => p.Value.Length > 0).ToDictionary(), StringComparer.Ordinal);
        }
    }

    /// <summary>The site's boxes from their retained states.</summary>
    /// <exception cref="UserErrorException">The broker cannot be reached or refuses.</exception>
    public static async Task<List<FleetState>> StatesAsync(FleetOptions options, CancellationToken cancel)
    {
        var topics = new FleetTopics(options.Site, "cli");
        var retained = await ReadAsync(options, [topics.AllStates], cancel).ConfigureAwait(false);
        var states = new List<FleetState>();
        foreach (var payload in retained.Values)
        {
            try
            {
                if (System.Text.Json.JsonSerializer.Deserialize(payload, FleetJsonContext.Default.FleetState) is { } state)
                {
                    states.Add(state);
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // Something else published on a state topic: not a box.
            }
        }

        return states;
    }

    /// <summary>A connected client for a tool.</summary>
    /// <exception cref="UserErrorException">The broker cannot be reached or refuses.</exception>
    public static async Task<IMqttClient> ConnectAsync(FleetOptions options, CancellationToken cancel)
    {
        var broker = FleetBroker.TryParse(options.Broker) ?? throw new UserErrorException($"fleet: '{options.Broker}' is not mqtt://HOST[:PORT] or mqtts://HOST[:PORT]");
        var client = new MqttClientFactory().CreateMqttClient();
        var builder = broker.Options($"virtcapture-cli-{Environment.ProcessId}", FleetCredentials.Read(options.CredentialsFile));
        try
        {
            var result = await client.ConnectAsync(builder.Build(), cancel).ConfigureAwait(false);
            return result.ResultCode == MqttClientConnectResultCode.Success
                ? client
                : throw new UserErrorException($"fleet: the broker {options.Broker} refused the connection: {result.ResultCode}");
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            client.Dispose();
            throw new UserErrorException($"fleet: cannot reach the broker {options.Broker}: {(e.InnerException ?? e).Message.ReplaceLineEndings(" ")}");
        }
    }
}
