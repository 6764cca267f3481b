using System.Net;
using System.Text.Json;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Management;

/// <summary>A live client that stops reading loses frames from its own stream only, and is told so.</summary>
public sealed class SlowClientTests : IClassFixture<FastBoxFixture>
{
    private readonly FastBoxFixture _box;

    public SlowClientTests(FastBoxFixture box)
    {
        _box = box;
    }

    [Fact]
    public async Task A_stalled_live_client_is_dropped_and_told_while_the_capture_loses_nothing()
    {
        using var dir = new TempDirectory();
        var output = dir.File("live.pcapng");
        using var response = await _box.Client.GetAsync("/api/live", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync();
        await using (var file = File.Create(output))
        {
            var buffer = new byte[1 << 16];
            await stream.ReadAtLeastAsync(buffer, 1);
            // The client stalls while tens of megabytes go by, then reads again for a while.
            await Task.Delay(TimeSpan.FromSeconds(6));
            var until = DateTime.UtcNow.AddSeconds(3);
            int read;
            while (DateTime.UtcNow < until && (read = await stream.ReadAsync(buffer)) > 0)
            {
                await file.WriteAsync(buffer.AsMemory(0, read));
            }
        }

        // The first 64 kB read before the stall held the stream's header; prepend nothing, re-read from the start.
        using var status = JsonDocument.Parse(await _box.Client.GetStringAsync("/api/status"));
        foreach (var port in status.RootElement.GetProperty("ports").EnumerateArray())
        {
            Assert.Equal(0, port.GetProperty("counters").GetProperty("bufferDropped").GetInt64());
        }

        var bytes = await File.ReadAllBytesAsync(output);
        Assert.Contains("frames dropped from this live stream", System.Text.Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
    }
}
