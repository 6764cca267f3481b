using VirtCapture.Hal.Frames;

namespace VirtCapture.Fleet;

/// <summary>
/// One query over every box: each online box's <c>/api/packets</c> for the window, fetched over HTTP (the frames
/// never travel over MQTT), merged into one time-ordered pcapng stream with one interface per box and port ("h2 port
/// A"), written as the answers arrive. A box that is offline or fails is named in a comment; what the others
/// returned is kept. A box whose clock is not synchronised is warned about, in a comment.
/// </summary>
internal sealed class FleetPacketMerge
{
    private readonly HttpClient _http;
    private readonly string _token;

    public FleetPacketMerge(HttpClient http, string token)
    {
        _http = http;
        _token = token;
    }

    /// <summary>The boxes that did not answer in full, with why.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>Frames written.</summary>
    public long Frames { get; private set; }

    /// <summary>Writes the merged stream of <paramref name="boxes"/> for <paramref name="query"/> (from, to, filter).</summary>
    public async Task WriteAsync(IReadOnlyList<FleetBoxAddress> boxes, string query, Stream output, CancellationToken cancel)
    {
        var writer = new Pcapng.PcapngStreamWriter(output);
        // Interface 0 carries the merge's own notes (boxes missing, clocks not synchronised); the boxes' ports follow.
        var ports = new List<CapturePort> { new("fleet", "VirtCapture fleet query: notes about the boxes", CapturePort.Ethernet) };
        var index = new Dictionary<(string Box, string Port), int>();
        writer.Section(ports, Pipeline.Slicer.MaxSnaplen, string.Empty);
        var streams = new List<BoxPacketStream>();
        var clocks = boxes.ToDictionary(b => b.Box, b => b.Clock is { } c ? $"clock {(c.Synchronized ? "synchronised" : "NOT synchronised")} ({c.Source}, estimated error {c.EstimatedErrorMicroseconds} µs)" : "clock unknown");
        var now = (DateTimeOffset.UtcNow.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        foreach (var box in boxes)
        {
            if (!box.Online || box.ManagementUrl is null)
            {
                Fail(writer, now, box.Box, box.Online ? "it publishes no management URL (Fleet:ManagementUrl)" : "it is offline");
                continue;
            }

            if (box.Clock is { Synchronized: false })
            {
                writer.Comment(0, now, $"VirtCapture fleet: box {box.Box}'s clock is NOT synchronised ({box.Clock.Source}): its frames may be out of order against the other boxes'");
            }

            try
            {
                var request = new HttpRequestMessage(HttpMethod.Get, box.ManagementUrl.TrimEnd('/') + "/api/packets?" + query);
                request.Headers.Authorization = new("Bearer", _token);
                var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    Fail(writer, now, box.Box, $"its API answered {(int)response.StatusCode} {response.ReasonPhrase}");
                    response.Dispose();
                    continue;
                }

                streams.Add(new BoxPacketStream(box.Box, await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false)));
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
            {
                Fail(writer, now, box.Box, e.Message);
            }
        }

        // A k-way merge: each stream's next frame waits until every other stream has shown its own next one.
        var live = new List<BoxPacketStream>();
        foreach (var stream in streams)
        {
            if (await Advance(writer, stream, now, cancel).ConfigureAwait(false))
            {
                live.Add(stream);
            }
        }

        while (live.Count > 0)
        {
            var next = live[0];
            foreach (var s in live)
            {
                next = s.Frame.TimestampNs < next.Frame.TimestampNs ? s : next;
            }

            var key = (next.Box, next.Port.Name);
            if (!index.TryGetValue(key, out var port))
            {
                port = index[key] = ports.Count;
                ports.Add(new CapturePort($"{next.Box} port {next.Port.Name}", $"box {next.Box}: {next.Port.Description}; {clocks[next.Box]}", CapturePort.Ethernet));
                writer.Declare(ports);
            }

            var frame = next.Frame;
            frame.Port = (ushort)port;
            writer.Frame(frame, next.Bytes, Pipeline.Slicer.MaxSnaplen);
            Frames++;
            if (writer.Full)
            {
                await writer.FlushAsync(cancel).ConfigureAwait(false);
            }

            if (!await Advance(writer, next, now, cancel).ConfigureAwait(false))
            {
                live.Remove(next);
                next.Dispose();
            }
        }

        await writer.FlushAsync(cancel).ConfigureAwait(false);
    }

    private async Task<bool> Advance(Pcapng.PcapngStreamWriter writer, BoxPacketStream stream, long now, CancellationToken cancel)
    {
        try
        {
            return await stream.MoveNextAsync(cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            Fail(writer, now, stream.Box, $"its answer broke off: {e.Message}");
            return false;
        }
    }

    private void Fail(Pcapng.PcapngStreamWriter writer, long now, string box, string why)
    {
        Failures.Add($"{box}: {why}");
        writer.Comment(0, now, $"VirtCapture fleet: box {box} is missing from this capture: {why}");
    }
}
