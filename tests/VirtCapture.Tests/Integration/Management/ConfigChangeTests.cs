using System.Net;
using System.Text.Json;

namespace VirtCapture.Tests.Integration.Management;

/// <summary>
/// A change of filter and snaplen over the API applies at once, in a new file. A box of its own: the change would
/// otherwise shape the traffic every other test of a shared box sees.
/// </summary>
public sealed class ConfigChangeTests : IClassFixture<FastBoxFixture>
{
    private readonly FastBoxFixture _box;

    public ConfigChangeTests(FastBoxFixture box)
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
}
