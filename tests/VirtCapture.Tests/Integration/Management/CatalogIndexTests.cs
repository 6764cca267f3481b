using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Management;

/// <summary>After a boot the file list reads the catalog's index, not every frame of the ring; a bad index is rebuilt.</summary>
public sealed class CatalogIndexTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Captures => _dir.File("captures");

    [Fact]
    public async Task The_file_list_after_a_restart_comes_from_the_index_while_the_files_are_unchanged()
    {
        Directory.CreateDirectory(Captures);
        var input = TrafficFile.Generate(_dir.File("in.pcap"), 3000);
        Assert.Equal(0, Firmware.Run("capture", "-r", input, "-w", Path.Combine(Captures, "vc.pcapng"), "-b", "filesize:200").ExitCode);
        var index = Path.Combine(Captures, ".catalog-index.json");

        var first = await ListAsync();
        Assert.True(File.Exists(index), "the first listing leaves an index beside the captures");
        Assert.Equal(3000, first.Sum(f => f.GetProperty("frames").GetInt64()));

        // The index is believed while size and time match: a marked entry shows through after a restart.
        var entries = JsonNode.Parse(File.ReadAllText(index))!.AsArray();
        var marked = entries[0]!["name"]!.GetValue<string>();
        entries[0]!["frames"] = 424242;
        File.WriteAllText(index, entries.ToJsonString());
        var second = await ListAsync();
        Assert.Equal(424242, second.Single(f => f.GetProperty("name").GetString() == marked).GetProperty("frames").GetInt64());

        // A file that changed is walked again, and a damaged index is ignored and rebuilt.
        File.SetLastWriteTimeUtc(Path.Combine(Captures, marked), DateTime.UtcNow.AddMinutes(-1));
        File.WriteAllText(index, "{ not json");
        var third = await ListAsync();
        Assert.Equal(3000, third.Sum(f => f.GetProperty("frames").GetInt64()));
        Assert.StartsWith("[", File.ReadAllText(index), StringComparison.Ordinal);
    }

    private async Task<List<JsonElement>> ListAsync()
    {
        var url = FreePort.HttpUrl();
        using var firmware = new FirmwareProcess(Support.Firmware.File, [.. Support.Firmware.Exec, "run"], new Dictionary<string, string>
        {
            ["VIRTCAPTURE_CONFIG_DIR"] = _dir.File("config"),
            ["Capture__Backend"] = "Synthetic",
            ["Capture__StartOnBoot"] = "false",
            ["Storage__Directory"] = Captures,
            ["Management__Urls"] = url,
            ["Management__TokenFile"] = _dir.File("token"),
        });
        firmware.WaitFor("Application started");
        using var client = new HttpClient { BaseAddress = new Uri(url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(_dir.File("token")).Trim());
        using var list = JsonDocument.Parse(await client.GetStringAsync("/api/captures"));
        var files = list.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
        firmware.Stop();
        return files;
    }
}
