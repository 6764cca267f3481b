using System.Globalization;
using VirtCapture.Format.Pcapng;

namespace VirtCapture.Extcap;

/// <summary>
/// <c>--capture</c>: the box's pcapng into Wireshark's fifo. Live, the box's <c>/api/live</c> stream goes through as it
/// comes. With a start time the live stream is opened first, and its first frame's time is the seam: the ring's frames
/// from the start time to just before it (<c>/api/packets</c>) go out first, then the live ones, in one section, so
/// nothing is missed and nothing comes twice.
/// </summary>
internal static class ExtcapCapture
{
    // The box writes its ring within its fsync interval (1 s by default) and its buffer publishes within 200 ms.
    private static readonly TimeSpan RingSettles = TimeSpan.FromSeconds(2.5);

    public static async Task RunAsync(ExtcapBoxClient client, ExtcapInterface target, string filter, int snaplen, long? startFromNs, ExtcapOutput output, CancellationToken cancel)
    {
        var query = $"filter={Uri.EscapeDataString(filter)}&snaplen={snaplen.ToString(CultureInfo.InvariantCulture)}"
            + (target.Port is null ? string.Empty : $"&port={Uri.EscapeDataString(target.Port)}");
        using var live = await client.SendAsync("api/live?" + query, cancel).ConfigureAwait(false);
        var liveBlocks = new PcapngStreamBlocks(await live.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false));
        if (startFromNs is { } from)
        {
            await HistoryThenLiveAsync(client, liveBlocks, output, query, from, cancel).ConfigureAwait(false);
        }

        while (true)
        {
            var block = await liveBlocks.NextAsync(cancel).ConfigureAwait(false);
            if (block.IsEmpty)
            {
                return;
            }

            await output.WriteAsync(block, cancel).ConfigureAwait(false);
        }
    }

    private static async Task HistoryThenLiveAsync(ExtcapBoxClient client, PcapngStreamBlocks liveBlocks, ExtcapOutput output, string query, long fromNs, CancellationToken cancel)
    {
        // The live header, up to and including its first frame: that frame's time is the seam.
        var header = new List<byte[]>();
        byte[]? first = null;
        while (first is null)
        {
            var block = await liveBlocks.NextAsync(cancel).ConfigureAwait(false);
            if (block.IsEmpty)
            {
                throw new UserErrorException("the box's capture stopped before its first live frame");
            }

            if (PcapngStreamBlocks.TypeOf(block.Span) == PcapngBlocks.EnhancedPacketType)
            {
                first = block.ToArray();
            }
            else
            {
                header.Add(block.ToArray());
            }
        }

        var seamNs = PcapngStreamBlocks.TimestampOf(first);
        await Task.Delay(RingSettles, cancel).ConfigureAwait(false);
        var window = $"api/packets?from={Seconds(fromNs)}&to={Seconds(seamNs - 1)}&{query}";
        var historyInterfaces = 0;
        using (var history = await client.SendAsync(window, cancel).ConfigureAwait(false))
        {
            var blocks = new PcapngStreamBlocks(await history.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false));
            while (true)
            {
                var block = await blocks.NextAsync(cancel).ConfigureAwait(false);
                if (block.IsEmpty)
                {
                    break;
                }

                var type = PcapngStreamBlocks.TypeOf(block.Span);
                historyInterfaces = type == PcapngBlocks.SectionHeaderType ? 0 : historyInterfaces + (type == PcapngBlocks.InterfaceDescriptionType ? 1 : 0);
                await output.WriteAsync(block, cancel).ConfigureAwait(false);
            }
        }

        // The same ports in the same order: the live frames go on in the history's section. Otherwise (a collector
        // that found sessions meanwhile) the live stream starts its own section.
        var liveInterfaces = header.Count(b => PcapngStreamBlocks.TypeOf(b) == PcapngBlocks.InterfaceDescriptionType);
        foreach (var block in header)
        {
            var type = PcapngStreamBlocks.TypeOf(block);
            if (historyInterfaces != liveInterfaces || type is not (PcapngBlocks.SectionHeaderType or PcapngBlocks.InterfaceDescriptionType))
            {
                await output.WriteAsync(block, cancel).ConfigureAwait(false);
            }
        }

        await output.WriteAsync(first, cancel).ConfigureAwait(false);
    }

    private static string Seconds(long ns)
    {
        var text = ns.ToString("D10", CultureInfo.InvariantCulture);
        return $"{text[..^9]}.{text[^9..]}";
    }
}
