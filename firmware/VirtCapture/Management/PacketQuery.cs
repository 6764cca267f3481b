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
        var programs = new Dictionary<int, BpfFilterProgram>();
        try
        {
            // Compile before the first byte goes out, so a bad filter is still a 400.
            programs[CapturePort.Ethernet] = BpfFilterProgram.Compile(filter, CapturePort.Ethernet);
        }
        catch (FilterCompileException e)
        {
            return Results.BadRequest(new Contracts.ApiError(e.Message));
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
            IReadOnlyList<CapturePort>? section = null;
            foreach (var file in files)
            {
                var path = catalog.Resolve(file.Name);
                if (path is null)
                {
                    continue;
                }

                using var source = OpenOrNull(path);
                if (source is null)
                {
                    continue;
                }

                if (section is null || !SameInterfaces(section, source.Ports))
                {
                    writer.Section(source.Ports, snaplen, filter);
                    section = source.Ports;
                }

                var portIndex = port is null ? -1 : IndexOf(source.Ports, port);
                if (port is not null && portIndex < 0)
                {
                    continue;
                }

                while (true)
                {
                    BatchResult result;
                    FrameBatch batch;
                    try
                    {
                        result = source.ReadBatch(out batch, TimeSpan.Zero);
                    }
                    catch (CaptureFileFormatException)
                    {
                        // The file being written ends in a partial block: everything before it was sent.
                        break;
                    }

                    if (result != BatchResult.Frames)
                    {
                        break;
                    }

                    // A collector's file declares its sessions as they were found: so does the extract.
                    writer.Declare(source.Ports);
                    Send(writer, batch, source.Ports, programs, fromNs, toNs, portIndex, snaplen, filter);
                    if (writer.Full)
                    {
                        await writer.FlushAsync(cancel).ConfigureAwait(false);
                    }
                }

                if (source.Ports.Count > section.Count)
                {
                    section = source.Ports;
                }
            }

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

            foreach (var program in programs.Values)
            {
                program.Dispose();
            }
        }

        return null;
    }

    private static void Send(PcapngStreamWriter writer, FrameBatch batch, IReadOnlyList<CapturePort> ports, Dictionary<int, BpfFilterProgram> programs, long fromNs, long toNs, int portIndex, int snaplen, string filter)
    {
        foreach (ref readonly var frame in batch.Frames)
        {
            if (frame.TimestampNs < fromNs || frame.TimestampNs > toNs || (portIndex >= 0 && frame.Port != portIndex))
            {
                continue;
            }

            var linkType = ports[frame.Port].LinkType;
            if (!programs.TryGetValue(linkType, out var program))
            {
                program = programs[linkType] = BpfFilterProgram.Compile(filter, linkType);
            }

            var bytes = batch.Bytes(frame);
            if (program.Matches(bytes, frame.WireLength))
            {
                writer.Frame(frame, bytes, snaplen);
            }
        }
    }

    // One section goes on across files whose interfaces agree as far as both go: the ring's files all start with the
    // ports, and a collector's later files hold the sessions the earlier ones found as they went.
    private static bool SameInterfaces(IReadOnlyList<CapturePort> section, IReadOnlyList<CapturePort> file)
    {
        for (var i = 0; i < Math.Min(section.Count, file.Count); i++)
        {
            if (section[i].Name != file[i].Name || section[i].LinkType != file[i].LinkType)
            {
                return false;
            }
        }

        return true;
    }

    private static ReplayFrameSource? OpenOrNull(string path)
    {
        // Opened like a download: no link followed, no FIFO opened, between the listing and the reading either.
        var handle = Storage.RegularFile.OpenHandle(path);
        if (handle is null)
        {
            return null;
        }

        try
        {
            return new ReplayFrameSource(path, handle);
        }
        catch (Exception e) when (e is CaptureFileFormatException or IOException)
        {
            return null;
        }
    }

    private static int IndexOf(IReadOnlyList<CapturePort> ports, string name)
    {
        for (var i = 0; i < ports.Count; i++)
        {
            if (string.Equals(ports[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static long Ns(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
}
