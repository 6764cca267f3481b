using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace VirtCapture.Fleet;

/// <summary>
/// One MQTT 5 connection that stays up: MQTTnet 5 has no managed client, so this loop connects, and after a loss
/// reconnects with a backoff (1 s doubling to 30 s), each time announcing the box again (<see cref="Connected"/>:
/// subscriptions, birth, retained state). The Will marks the box offline when the broker loses it.
/// </summary>
internal sealed class FleetConnection : IDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly ILogger _log;
    private readonly string _broker;

    public FleetConnection(string clientId, FleetBroker broker, FleetCredentials? credentials, TimeSpan keepAlive, string willTopic, byte[] willPayload, ILogger log)
    {
        _log = log;
        _broker = $"{(broker.Tls ? "mqtts" : "mqtt")}://{broker.Host}:{broker.Port}";
        _client = new MqttClientFactory().CreateMqttClient();
        _options = broker.Options(clientId, credentials)
            .WithKeepAlivePeriod(keepAlive)
            .WithCleanStart(true)
            .WithWillTopic(willTopic)
            .WithWillPayload(willPayload)
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        _client.ApplicationMessageReceivedAsync += e => Received?.Invoke(e) ?? Task.CompletedTask;
    }

    /// <summary>Each time the connection is made: subscribe and announce.</summary>
    public Func<IMqttClient, CancellationToken, Task>? Connected { get; set; }

    /// <summary>A message on a subscribed topic.</summary>
    public Func<MqttApplicationMessageReceivedEventArgs, Task>? Received { get; set; }

    /// <summary>True while connected.</summary>
    public bool IsConnected => _client.IsConnected;

    /// <summary>Keeps the connection until <paramref name="stop"/>; then disconnects cleanly (the state says offline).</summary>
    public async Task RunAsync(Func<CancellationToken, Task> beforeDisconnect, CancellationToken stop)
    {
        var backoff = TimeSpan.FromSeconds(1);
        var down = false;
        while (!stop.IsCancellationRequested)
        {
            if (!_client.IsConnected)
            {
                try
                {
                    var result = await _client.ConnectAsync(_options, stop).ConfigureAwait(false);
                    if (result.ResultCode != MqttClientConnectResultCode.Success)
                    {
                        throw new MqttCommunicationException($"the broker refused the connection: {result.ResultCode} {result.ReasonString}");
                    }

                    if (Connected is { } connected)
                    {
                        await connected(_client, stop).ConfigureAwait(false);
                    }

                    Log.FleetConnected(_log, _broker, down ? "again" : "first");
                    down = false;
                    backoff = TimeSpan.FromSeconds(1);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e) when (e is MqttCommunicationException or OperationCanceledException or System.Net.Sockets.SocketException or InvalidOperationException or IOException)
                {
                    if (!down)
                    {
                        Log.FleetUnreachable(_log, _broker, OneLine(e));
                        down = true;
                    }

                    await Delay(backoff, stop).ConfigureAwait(false);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                    continue;
                }
            }

            await Delay(TimeSpan.FromMilliseconds(250), stop).ConfigureAwait(false);
        }

        if (_client.IsConnected)
        {
            try
            {
                await beforeDisconnect(CancellationToken.None).ConfigureAwait(false);
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MqttCommunicationException or OperationCanceledException or IOException)
            {
                // Going down anyway: the Will says offline.
            }
        }
    }

    /// <summary>Publishes when connected; false (and nothing sent) when not, or when the send fails.</summary>
    public async Task<bool> TryPublishAsync(MqttApplicationMessage message, CancellationToken cancel)
    {
        if (!_client.IsConnected)
        {
            return false;
        }

        try
        {
            var result = await _client.PublishAsync(message, cancel).ConfigureAwait(false);
            return result.IsSuccess;
        }
        catch (Exception e) when (e is MqttCommunicationException or OperationCanceledException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    public void Dispose() => _client.Dispose();

    private static string OneLine(Exception e) => (e.InnerException?.Message ?? e.Message).ReplaceLineEndings(" ");

    private static async Task Delay(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
