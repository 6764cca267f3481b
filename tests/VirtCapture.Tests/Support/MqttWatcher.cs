using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace VirtCapture.Tests.Support;

/// <summary>An MQTT 5 client in the test: what a fleet tool sees on the broker, and commands sent as one would.</summary>
public sealed class MqttWatcher : IDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentQueue<(DateTime At, string Topic, string Payload, byte[]? Correlation)> _messages = new();

    private MqttWatcher()
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var m = e.ApplicationMessage;
            _messages.Enqueue((DateTime.UtcNow, m.Topic, m.Payload.IsEmpty ? string.Empty : Encoding.UTF8.GetString(m.Payload), m.CorrelationData));
            return Task.CompletedTask;
        };
    }

    /// <summary>Connects (with credentials when given) and subscribes to <paramref name="filter"/>.</summary>
    public static MqttWatcher Connect(int port, string filter = "virtcapture/#", string? user = null, string? password = null)
    {
        var watcher = new MqttWatcher();
        var result = watcher.TryConnect(port, user, password);
        Assert.True(result == MqttClientConnectResultCode.Success, $"the test client could not connect: {result}");
        watcher._client.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce).GetAwaiter().GetResult();
        return watcher;
    }

    /// <summary>The broker's answer to a connection with these credentials.</summary>
    public static MqttClientConnectResultCode Refusal(int port, string? user, string? password)
    {
        using var watcher = new MqttWatcher();
        return watcher.TryConnect(port, user, password);
    }

    /// <summary>Every message received on <paramref name="topic"/>, oldest first.</summary>
    public string[] On(string topic) => [.. _messages.Where(m => m.Topic == topic).Select(m => m.Payload)];

    /// <summary>Waits until a message on <paramref name="topic"/> satisfies <paramref name="condition"/>; returns it parsed.</summary>
    public JsonElement WaitFor(string topic, Func<JsonElement, bool> condition, string what, double seconds = 15)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            foreach (var m in _messages.Where(m => m.Topic == topic && m.Payload.Length > 0))
            {
                var json = JsonDocument.Parse(m.Payload).RootElement.Clone();
                if (condition(json))
                {
                    return json;
                }
            }

            Thread.Sleep(50);
        }

        throw new Xunit.Sdk.XunitException($"no message on {topic} with {what} within {seconds} s; seen: {string.Join(" | ", On(topic).TakeLast(5))}");
    }

    /// <summary>When the first message on <paramref name="topic"/> satisfying the condition arrived.</summary>
    public DateTime ArrivalOf(string topic, Func<JsonElement, bool> condition) =>
        _messages.First(m => m.Topic == topic && m.Payload.Length > 0 && condition(JsonDocument.Parse(m.Payload).RootElement)).At;

    /// <summary>Publishes a message (QoS 1), as another member of the fleet would.</summary>
    public void Publish(string topic, string payload, bool retain = false) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag(retain)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build()).GetAwaiter().GetResult();

    /// <summary>Sends a command the MQTT 5 way (response topic, correlation data) and waits for its answer.</summary>
    public JsonElement Command(string topic, string payload = "", double seconds = 15)
    {
        var correlation = Guid.NewGuid().ToByteArray();
        var responseTopic = $"test/replies/{Guid.NewGuid():N}";
        _client.SubscribeAsync(responseTopic, MqttQualityOfServiceLevel.AtLeastOnce).GetAwaiter().GetResult();
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithResponseTopic(responseTopic)
            .WithCorrelationData(correlation).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build()).GetAwaiter().GetResult();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            var reply = _messages.FirstOrDefault(m => m.Topic == responseTopic);
            if (reply.Topic is not null)
            {
                Assert.Equal(correlation, reply.Correlation);
                return JsonDocument.Parse(reply.Payload).RootElement.Clone();
            }

            Thread.Sleep(50);
        }

        throw new Xunit.Sdk.XunitException($"no answer to {topic} within {seconds} s");
    }

    public void Dispose()
    {
        if (_client.IsConnected)
        {
            _client.DisconnectAsync().GetAwaiter().GetResult();
        }

        _client.Dispose();
    }

    private MqttClientConnectResultCode TryConnect(int port, string? user, string? password)
    {
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId($"test-{Guid.NewGuid():N}");
        if (user is not null)
        {
            options = options.WithCredentials(user, password);
        }

        try
        {
            return _client.ConnectAsync(options.Build()).GetAwaiter().GetResult().ResultCode;
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException e)
        {
            // MQTTnet 5 throws on a refusal and names the reason code only in its message.
            return Enum.GetValues<MqttClientConnectResultCode>().Where(c => c != MqttClientConnectResultCode.Success)
                .FirstOrDefault(c => e.Message.Contains(c.ToString(), StringComparison.Ordinal), MqttClientConnectResultCode.UnspecifiedError);
        }
    }
}
