using System.Net.Http.Headers;
using System.Text.Json;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Vm;

/// <summary>The running box replaying the known VM traffic: /api/vms and /api/events say what the inventory command says.</summary>
public sealed class ReplayInventoryTests
{
    [Fact]
    public async Task The_api_inventory_of_a_replay_equals_the_inventory_command()
    {
        using var dir = new TempDirectory();
        var file = VmTrafficFile.Write(dir.File("vms.pcap"));
        using var firmware = StartReplay(dir, file, idleSeconds: 2, out var client);
        using var _ = client;
        string vms = "[]";
        for (var i = 0; i < 50 && vms == "[]"; i++)
        {
            await Task.Delay(100);
            vms = await client.GetStringAsync("/api/vms");
        }

        await Task.Delay(1500); // a sweep on the replay's own clock reports the quiet VMs gone
        using var api = JsonDocument.Parse(await client.GetStringAsync("/api/vms"));
        var events = JsonDocument.Parse(await client.GetStringAsync("/api/events")).RootElement.EnumerateArray().Select(e => e.GetProperty("text").GetString()).ToArray();
        var command = Firmware.Run("inventory", "-r", file, "--json", "--idle-seconds", "2");
        using var expected = JsonDocument.Parse(command.StdOut);
        static string[] Rows(JsonElement vms) => vms.EnumerateArray()
            .Select(v => $"{v.GetProperty("mac").GetString()} {v.GetProperty("family").GetString()} {v.GetProperty("vlan").GetInt32()} {v.GetProperty("framesSent").GetInt64()} {v.GetProperty("framesReceived").GetInt64()} {v.GetProperty("bytesSent").GetInt64()} {string.Join(',', v.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()))}")
            .Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Rows(expected.RootElement.GetProperty("vms")), Rows(api.RootElement));
        var expectedEvents = expected.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("text").GetString()).ToArray();
        Assert.Equal(expectedEvents.Where(e => e!.Contains("announced", StringComparison.Ordinal)), events.Where(e => e!.Contains("announced", StringComparison.Ordinal)));
        Assert.Contains(events, e => e == $"VM {VmTrafficFile.VMware} (VMware) gone from port if0, VLAN 20: not seen for 2 s");
        firmware.Stop();
    }

    [Fact]
    public async Task A_flood_of_new_MACs_shows_in_the_status_as_a_full_inventory_and_untracked_frames()
    {
        using var dir = new TempDirectory();
        var file = dir.File("flood.pcap");
        const int Flood = VirtCapture.Vm.VmInventory.MaxEntries + 500;
        using (var pcap = new VirtCapture.Format.Pcap.ClassicPcapWriter(file))
        {
            for (var i = 0; i < Flood; i++)
            {
                var mac = $"02:00:00:{(i >> 16) & 0xff:x2}:{(i >> 8) & 0xff:x2}:{i & 0xff:x2}";
                pcap.Write(TrafficFile.Epoch + (i * 1000L), VmTrafficFile.Udp4(mac, VmTrafficFile.Router, 0, "10.0.0.2", "10.0.0.1"));
            }
        }

        using var firmware = StartReplay(dir, file, idleSeconds: 3600, out var client);
        using var _ = client;
        JsonElement vms = default;
        for (var i = 0; i < 100; i++)
        {
            using var status = JsonDocument.Parse(await client.GetStringAsync("/api/status"));
            vms = status.RootElement.GetProperty("vms").Clone();
            if (vms.GetProperty("untrackedFrames").GetInt64() == 500)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal(VirtCapture.Vm.VmInventory.MaxEntries, vms.GetProperty("tracked").GetInt32());
        Assert.Equal(VirtCapture.Vm.VmInventory.MaxEntries, vms.GetProperty("limit").GetInt32());
        Assert.Equal(500, vms.GetProperty("untrackedFrames").GetInt64());
        firmware.Stop();
    }

    // The box replaying file, its API on a free port; client carries the box's token.
    private static FirmwareProcess StartReplay(TempDirectory dir, string file, int idleSeconds, out HttpClient client)
    {
        var url = FreePort.HttpUrl();
        var firmware = new FirmwareProcess(Support.Firmware.File, [.. Support.Firmware.Exec, "run"], new Dictionary<string, string>
        {
            ["VIRTCAPTURE_CONFIG_DIR"] = dir.File("config"),
            ["Capture__Backend"] = "Replay",
            ["Capture__ReplayFile"] = file,
            ["Storage__Directory"] = dir.File("captures"),
            ["Storage__MinFreePercent"] = "0",
            ["Vm__IdleSeconds"] = idleSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Management__Urls"] = url,
            ["Management__TokenFile"] = dir.File("token"),
        });
        try
        {
            firmware.WaitFor("Capture started");
            firmware.WaitFor("Application started"); // Kestrel listens only after the hosted services started
        }
        catch
        {
            firmware.Dispose();
            throw;
        }

        client = new HttpClient { BaseAddress = new Uri(url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(dir.File("token")).Trim());
        return firmware;
    }
}
