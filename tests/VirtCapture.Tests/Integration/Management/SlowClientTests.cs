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
    public async Task A_new_filter_and_snaplen_from_the_API_apply_at_once_in_a_new_file()
    {
        var before = Directory.GetFiles(_box.Captures, "*.pcapng*").Length;
        var put = await _box.Client.PutAsync("/api/config", new StringContent("{\"capture\":{\"filter\":\"udp\",\"snaplen\":128}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using var status = JsonDocument.Parse(await _box.Client.GetStringAsync("/api/status"));
        Assert.Equal("udp", status.RootElement.GetProperty("filter").GetString());
        Assert.Equal(128, status.RootElement.GetProperty("snaplen").GetInt32());
        Assert.Equal("capturing", status.RootElement.GetProperty("state").GetString());
        var current = status.RootElement.GetProperty("currentFile").GetString()!;
        await Task.Delay(1500);
        var path = Path.Combine(_box.Captures, current[..^".part".Length]);
        Assert.True(File.Exists(path), $"{path} should have been closed by the 1 s rotation");
        Assert.Contains("Filter string = udp", Run.Program("capinfos", path).StdOut, StringComparison.Ordinal);
        Assert.All(Tshark.Fields(path, null, "frame.cap_len"), l => Assert.True(int.Parse(l, System.Globalization.CultureInfo.InvariantCulture) <= 128));
        Assert.True(Directory.GetFiles(_box.Captures, "*.pcapng*").Length > before);

        var unknown = await _box.Client.PutAsync("/api/config", new StringContent("{\"capture\":{\"colour\":\"blue\"}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("unknown setting 'colour'", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
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
