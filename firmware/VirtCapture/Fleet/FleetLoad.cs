using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;

namespace VirtCapture.Fleet;

/// <summary>
/// <c>virtcapture fleet load</c>: many simulated boxes on one broker, each with the box's own connection code
/// (<see cref="FleetConnection"/>, Will and keep-alive included) publishing synthetic events at a rate; one listener
/// measures each event's latency from its timestamp to its arrival. For sizing a site's broker.
/// </summary>
internal static class FleetLoad
{
    /// <summary>Runs the load; returns the latencies (ms) of the events received.</summary>
    public static async Task<(List<double> Latencies, long Sent)> RunAsync(FleetBroker broker, FleetCredentials? credentials, string site, int boxes, double rate, TimeSpan duration, CancellationToken cancel)
    {
        var latencies = new List<double>();
        var seen = new HashSet<(string Topic, long Ticks)>();
        using var listener = new MqttClientFactory().CreateMqttClient();
        var listenerOptions = broker.Options($"virtcapture-load-listener-{Environment.ProcessId}", credentials);

        // The events of the measured window are those stamped inside it, for the sender and the listener alike.
        var window = new long[] { long.MaxValue, long.MaxValue };
        bool Inside(DateTimeOffset t) => t.UtcTicks >= Volatile.Read(ref window[0]) && t.UtcTicks < Volatile.Read(ref window[1]);
        listener.ApplicationMessageReceivedAsync += e =>
        {
            var arrived = DateTimeOffset.UtcNow;
            var payload = e.ApplicationMessage.Payload;
            var reader = new Utf8JsonReader(payload);
            var sent = JsonSerializer.Deserialize(ref reader, FleetJsonContext.Default.FleetEvent)!.Time;
            if (Inside(sent))
            {
                lock (latencies)
                {
                    // QoS 1 is at least once: a redelivered event is counted once.
                    if (seen.Add((e.ApplicationMessage.Topic, sent.UtcTicks)))
                    {
                        latencies.Add((arrived - sent).TotalMilliseconds);
                    }
                }
            }

            return Task.CompletedTask;
        };
        await listener.ConnectAsync(listenerOptions.Build(), cancel).ConfigureAwait(false);
        await listener.SubscribeAsync($"virtcapture/{site}/+/events", MqttQualityOfServiceLevel.AtLeastOnce, cancel).ConfigureAwait(false);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var connections = new List<FleetConnection>();
        var runs = new List<Task>();
        long published = 0;
        for (var i = 0; i < boxes; i++)
        {
            var topics = new FleetTopics(site, $"load{i:D4}");
            var offline = JsonSerializer.SerializeToUtf8Bytes(new FleetState(false, topics.Box, null, null, null, null, null, null, DateTimeOffset.UtcNow), FleetJsonContext.Default.FleetState);
            var connection = new FleetConnection($"virtcapture-{site}-{topics.Box}", broker, credentials, TimeSpan.FromSeconds(30), topics.State, offline, NullLogger.Instance);
            connections.Add(connection);
            runs.Add(connection.RunAsync(_ => Task.CompletedTask, stop.Token));
            runs.Add(PublishAsync(connection, topics, rate, Inside, () => Interlocked.Increment(ref published), stop.Token));
        }

        // Every box connected, then a settling second, then the measured run.
        var deadline = Stopwatch.StartNew();
        while (connections.Any(c => !c.IsConnected) && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100, cancel).ConfigureAwait(false);
        }

        await Task.Delay(1000, cancel).ConfigureAwait(false);
        Volatile.Write(ref window[0], DateTimeOffset.UtcNow.UtcTicks);
        await Task.Delay(duration, cancel).ConfigureAwait(false);
        Volatile.Write(ref window[1], DateTimeOffset.UtcNow.UtcTicks);
        var sentDuring = Interlocked.Read(ref published);
        await Task.Delay(1000, cancel).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(runs).ConfigureAwait(false);
        connections.ForEach(c => c.Dispose());
        return (latencies, sentDuring);
    }

    private static async Task PublishAsync(FleetConnection connection, FleetTopics topics, double rate, Func<DateTimeOffset, bool> measured, Action counted, CancellationToken stop)
    {
        var interval = TimeSpan.FromSeconds(1 / rate);
        // Spread the boxes over the interval, as real boxes are not in step.
        var next = DateTime.UtcNow + (interval * Random.Shared.NextDouble());
        long n = 0;
        while (!stop.IsCancellationRequested)
        {
            var wait = next - DateTime.UtcNow;
            try
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            next += interval;
            var e = new FleetEvent(DateTimeOffset.UtcNow, topics.Box, "announced", $"VM 00:50:56:9a:10:{n++ % 256:x2} (VMware) announced on port A, VLAN 20 (RARP)", "00:50:56:9a:10:01", "A", 20);
            var message = new MqttApplicationMessageBuilder().WithTopic(topics.Events).WithPayload(JsonSerializer.SerializeToUtf8Bytes(e, FleetJsonContext.Default.FleetEvent))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
            if (await connection.TryPublishAsync(message, stop).ConfigureAwait(false) && measured(e.Time))
            {
                counted();
            }
        }
    }
}
