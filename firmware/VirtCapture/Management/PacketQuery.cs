using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using VirtCapture.Hal.Bpf;
using VirtCapture.Hal.Frames;
using VirtCapture.Hal.Replay;
using VirtCapture.Pcapng;

namespace VirtCapture.Management;

/// <summary>
/// GET /api/packets: the frames of a time window that match a filter, merged from the ring files that overlap the
/// window (and only those are read) into one pcapng stream, gzip-compressed when the client accepts it.
/// </summary>
internal static class PacketQuery
{
    public static async Task<IResult?> StreamAsync(HttpContext context, CaptureCatalog catalog, long fromNs, long toNs, string filter, string? port, int snaplen)
    {
        var files = catalog.List()
            .Where(f => f.FirstTimestamp is { } first && f.LastTimestamp is { } last && Ns(first) <= toNs && Ns(last) >= fromNs)
            .ToArray();
        // Checked before the first byte goes out, so a bad filter is still a 400.
        if (BpfFilterProgram.Check(filter, CapturePort.Ethernet) is { } reason)
        {
            return Results.BadRequest(new Contracts.ApiError(new FilterCompileException(filter, reason).Message));
        }

        var response = context.Response;
        response.ContentType = "application/x-pcapng";
        response.Headers.ContentDisposition = $"attachment; filename=\"virtcapture-{fromNs / 1_000_000_000}-{toNs / 1_000_000_000}.pcapng\"";
        var gzip = context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
        Stream output = response.Body;
        if (gzip)
        {
            response.Headers.ContentEncoding = "gzip";
            output = new GZipStream(response.Body, CompressionLevel.Fastest, leaveOpen: true);
        }

        var cancel = context.RequestAborted;
        try
        {
            var writer = new PcapngStreamWriter(output);
            var paths = files.Select(f => catalog.Resolve(f.Name)).OfType<string>();
            var section = await RingWindow.CopyAsync(writer, paths, fromNs, toNs, filter, port, snaplen, null, cancel).ConfigureAwait(false);
            if (section is null)
            {
                writer.Section(catalog.List().Count > 0 ? [new CapturePort("A", "no frames in the window", CapturePort.Ethernet)] : [new CapturePort("A", "no captures", CapturePort.Ethernet)], snaplen, filter);
            }

            await writer.FlushAsync(cancel).ConfigureAwait(false);
        }
        finally
        {
            if (gzip)
            {
                await output.DisposeAsync().ConfigureAwait(false);
            }
        }

        return null;
    }

    private static long Ns(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
}
