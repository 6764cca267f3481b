using System.Text.Json;

namespace VirtCapture.Extcap;

/// <summary>
/// What Wireshark lists: every box (added by hand or online in the configured fleet), all its ports, each port or
/// mirror session, and each VM its fleet follows.
/// Boxes are asked in parallel with a short timeout, and the answer is cached, so Wireshark's frequent calls are quick.
/// </summary>
internal static class ExtcapInterfaces
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The answer to --extcap-interfaces, from the cache while it is fresh.</summary>
    public static async Task<string> AnswerAsync(string version, CancellationToken cancel)
    {
        if (ExtcapSettings.Cached() is { } cached)
        {
            return cached;
        }

        var boxes = await ExtcapBoxDirectory.AllAsync(cancel).ConfigureAwait(false);
        var lists = await Task.WhenAll(boxes.Select(b => OfBoxAsync(b, cancel))).ConfigureAwait(false);
        // The help link is a box's own web page: the laptop has no other VirtCapture documentation at hand.
        var help = boxes.FirstOrDefault()?.Url ?? "https://192.168.77.1:8443/";
        var answer = new System.Text.StringBuilder($"extcap {{version={version}}}{{help={help}}}\n");
        foreach (var item in lists.SelectMany(l => l))
        {
            answer.Append($"interface {{value={item.Value}}}{{display={item.Display}}}\n");
        }

        // A control makes Wireshark open the control pipes (doc/extcap.adoc): the box's drops reach its status bar
        // and this log.
        answer.Append($"control {{number={ExtcapControl.LogControl}}}{{type=button}}{{role=logger}}{{display=Box log}}{{tooltip=What the box reported during this capture: drops, stream gaps}}\n");
        ExtcapSettings.Cache(answer.ToString());
        return answer.ToString();
    }

    private static async Task<List<ExtcapInterface>> OfBoxAsync(ExtcapBox box, CancellationToken cancel)
    {
        var list = new List<ExtcapInterface> { new(box.Name, null, null, $"VirtCapture {box.Name}: all ports") };
        try
        {
            using var client = new ExtcapBoxClient(box, box.TokenFile.Length == 0 ? string.Empty : null, AskTimeout);
            using var status = await client.GetJsonAsync("api/status", cancel).ConfigureAwait(false);
            foreach (var port in status.RootElement.GetProperty("ports").EnumerateArray())
            {
                var name = port.GetProperty("name").GetString()!;
                list.Add(new ExtcapInterface(box.Name, name, null, $"VirtCapture {box.Name}: {port.GetProperty("description").GetString()}"));
            }

            using var fleet = await client.GetJsonAsync("api/fleet", cancel).ConfigureAwait(false);
            if (fleet.RootElement.TryGetProperty("followed", out var followed))
            {
                foreach (var vm in followed.EnumerateArray())
                {
                    var mac = vm.GetProperty("mac").GetString()!;
                    list.Add(new ExtcapInterface(box.Name, null, mac, $"VirtCapture {box.Name}: followed VM {mac}"));
                }
            }
        }
        catch (Exception e) when (e is UserErrorException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // The box is listed all the same: capturing from it says what is wrong, in Wireshark's words.
            list[0] = list[0] with { Display = $"VirtCapture {box.Name}: all ports (not reachable now)" };
        }

        return list;
    }
}
