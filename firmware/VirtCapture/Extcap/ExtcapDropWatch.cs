using System.Globalization;
using System.Text.Json;

namespace VirtCapture.Extcap;

/// <summary>
/// The box's own losses while Wireshark captures from it: its drop counters (<c>/api/status</c>: kernel and buffer, of
/// the ports captured) are read every <see cref="Interval"/>, and what they grew by since the capture began goes into
/// the stream as a comment (always) and to Wireshark's status bar and log (where Wireshark gave control pipes).
/// </summary>
internal sealed class ExtcapDropWatch(ExtcapBoxClient client, string box, string? port, ExtcapOutput output, ExtcapControl control)
{
    /// <summary>How often the box is asked.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private (long Kernel, long Buffer)? _first;

    /// <summary>
    /// Reads the counters this capture starts from. Called before the live stream is asked for, so every drop counted
    /// after it is this capture's; read later (a slow start, a box busy under a flood), drops the capture already
    /// missed would be taken as the starting point and never told.
    /// </summary>
    public async Task BeginAsync(CancellationToken cancel) => _first = await DropsAsync(cancel).ConfigureAwait(false);

    /// <summary>Runs until cancelled; a box that does not answer for a while is asked again (the stream says if it is gone).</summary>
    public async Task RunAsync(CancellationToken cancel)
    {
        var first = _first;
        (long Kernel, long Buffer) told = (0, 0);
        using var timer = new PeriodicTimer(Interval);
        do
        {
            if (await DropsAsync(cancel).ConfigureAwait(false) is not { } now)
            {
                continue;
            }

            first ??= now;
            var since = (Kernel: now.Kernel - first.Value.Kernel, Buffer: now.Buffer - first.Value.Buffer);
            if (since.Kernel + since.Buffer > told.Kernel + told.Buffer)
            {
                var text = string.Create(CultureInfo.InvariantCulture,
                    $"VirtCapture {box}: the box dropped {since.Kernel + since.Buffer} frames{(port is null ? string.Empty : $" on port {port}")} since this capture began ({since.Kernel} in the kernel, {since.Buffer} in its buffer); this capture misses them");
                if (await output.CommentAsync(text, cancel).ConfigureAwait(false))
                {
                    told = since;
                }

                await control.TellAsync(text, cancel).ConfigureAwait(false);
            }
        }
        while (await timer.WaitForNextTickAsync(cancel).ConfigureAwait(false));
    }

    private async Task<(long Kernel, long Buffer)?> DropsAsync(CancellationToken cancel)
    {
        try
        {
            using var status = await client.GetJsonAsync("api/status", cancel).ConfigureAwait(false);
            long kernel = 0, buffer = 0;
            foreach (var each in status.RootElement.GetProperty("ports").EnumerateArray())
            {
                if (port is null || each.GetProperty("name").GetString() == port)
                {
                    var counters = each.GetProperty("counters");
                    kernel += counters.GetProperty("kernelDropped").GetInt64();
                    buffer += counters.GetProperty("bufferDropped").GetInt64();
                }
            }

            return (kernel, buffer);
        }
        catch (Exception e) when (e is UserErrorException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
