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

    // The box captures one-second files and nobody asks for the file list meanwhile: each file's summary comes from
    // the ring's tallies as it closes, and is on the disk when the box stops.
    [Fact]
    public async Task Files_the_box_closed_are_in_its_index_when_it_stops_and_the_next_boot_lists_them_from_it()
    {
        using (var box = Start(capture: true))
        {
            box.WaitFor("Capture started");
            await Task.Delay(3500);
            box.Stop();
        }

        var files = Directory.GetFiles(Captures, "*.pcapng");
        Assert.True(files.Length >= 3, $"one-second files: {files.Length}");
        var entries = AssertIndexAgreesWithCapinfos(files);
        Assert.Equal(files.Length, entries.Count);

        var marked = MarkFirstEntry();
        var listed = await ListAsync();
        Assert.Equal(424242, listed.Single(f => f.GetProperty("name").GetString() == marked).GetProperty("frames").GetInt64());
    }

    // A power cut: the summaries written every CatalogUpkeep.SaveInterval are on the disk; the next boot walks only
    // the files closed after the last of them, and lists every file as capinfos counts it.
    [Fact]
    public async Task After_a_power_cut_the_index_holds_the_files_closed_before_its_last_periodic_save()
    {
        using (var box = Start(capture: true))
        {
            box.WaitFor("Capture started");
            await Task.Delay(VirtCapture.Management.CatalogUpkeep.SaveInterval + TimeSpan.FromSeconds(2));
            box.KillHard();
        }

        var entries = AssertIndexAgreesWithCapinfos(Directory.GetFiles(Captures, "*.pcapng"));
        Assert.True(entries.Count >= 6, $"files closed in the first ten seconds: {entries.Count} in the index");

        var listed = await ListAsync();
        foreach (var file in listed.Where(f => !f.GetProperty("name").GetString()!.EndsWith(".part", StringComparison.Ordinal)))
        {
            var path = Path.Combine(Captures, file.GetProperty("name").GetString()!);
            Assert.Equal(Tshark.CapinfosPackets(path), file.GetProperty("frames").GetInt64());
        }
    }

    // "captures/" names the same directory as "captures": its files are listed from the index and can be downloaded.
    [Fact]
    public async Task A_storage_directory_written_with_a_trailing_slash_is_the_same_directory()
    {
        using (var box = Start(capture: true, directory: Captures + "/"))
        {
            box.WaitFor("Capture started");
            await Task.Delay(2500);
            box.Stop();
        }

        var files = Directory.GetFiles(Captures, "*.pcapng");
        Assert.Equal(files.Length, AssertIndexAgreesWithCapinfos(files).Count);

        var url = FreePort.HttpUrl();
        using var firmware = Start(capture: false, url, Captures + "/");
        firmware.WaitFor("Application started");
        using var client = new HttpClient { BaseAddress = new Uri(url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(_dir.File("token")).Trim());
        var name = Path.GetFileName(files.Order(StringComparer.Ordinal).First());
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(Captures, name)), await client.GetByteArrayAsync($"/api/captures/{name}"));
        firmware.Stop();
    }

    private List<JsonNode> AssertIndexAgreesWithCapinfos(string[] files)
    {
        var index = Path.Combine(Captures, ".catalog-index.json");
        Assert.True(File.Exists(index), "an index beside the captures");
        var entries = JsonNode.Parse(File.ReadAllText(index))!.AsArray().Select(e => e!).ToList();
        var names = files.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var name = entry["name"]!.GetValue<string>();
            Assert.Contains(name, names);
            var path = Path.Combine(Captures, name);
            Assert.Equal(new FileInfo(path).Length, entry["size"]!.GetValue<long>());
            Assert.Equal(Tshark.CapinfosPackets(path), entry["frames"]!.GetValue<long>());
        }

        return entries;
    }

    private string MarkFirstEntry()
    {
        var index = Path.Combine(Captures, ".catalog-index.json");
        var entries = JsonNode.Parse(File.ReadAllText(index))!.AsArray();
        entries[0]!["frames"] = 424242;
        File.WriteAllText(index, entries.ToJsonString());
        return entries[0]!["name"]!.GetValue<string>();
    }

    private FirmwareProcess Start(bool capture, string? url = null, string? directory = null) =>
        new(Support.Firmware.File, [.. Support.Firmware.Exec, "run"], new Dictionary<string, string>
        {
            ["VIRTCAPTURE_CONFIG_DIR"] = _dir.File("config"),
            ["Capture__Backend"] = "Synthetic",
            ["Capture__StartOnBoot"] = capture ? "true" : "false",
            ["Storage__Directory"] = directory ?? Captures,
            ["Storage__FileDurationSeconds"] = "1",
            ["Management__Urls"] = url ?? FreePort.HttpUrl(),
            ["Management__TokenFile"] = _dir.File("token"),
        });

    private async Task<List<JsonElement>> ListAsync()
    {
        var url = FreePort.HttpUrl();
        using var firmware = Start(capture: false, url);
        firmware.WaitFor("Application started");
        using var client = new HttpClient { BaseAddress = new Uri(url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(_dir.File("token")).Trim());
        using var list = JsonDocument.Parse(await client.GetStringAsync("/api/captures"));
        var files = list.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
        firmware.Stop();
        return files;
    }
}
