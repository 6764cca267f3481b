using Microsoft.AspNetCore.Http;
using VirtCapture.Hal.Bpf;
using VirtCapture.Pcapng;
using VirtCapture.Pipeline;

namespace VirtCapture.Management;

/// <summary>
/// GET /api/live: the running capture as a pcapng stream that <c>wireshark -k -i -</c> and <c>tshark -i -</c> read.
/// The client's own filter and snaplen apply to its stream only; frames it is too slow for are dropped from its
/// stream alone, counted, and announced to it in a comment.
/// </summary>
internal static class LiveStream
{
    /// <summary>Bytes queued for one client before its stream starts losing frames.</summary>
    public const long MaxQueuedBytes = 8L << 20;

    public static async Task<IResult?> StreamAsync(HttpContext context, CaptureSession session, string filter, int snaplen, int maxClients, int port = -1)
    {
        var pipeline = session.Pipeline;
        var linkType = pipeline.Ports.Count > 0 ? pipeline.Ports[0].LinkType : 1;
        BpfFilterProgram program;
        try
        {
            program = BpfFilterProgram.Compile(filter, linkType);
        }
        catch (FilterCompileException e)
        {
            return Results.BadRequest(new Contracts.ApiError(e.Message));
        }

        using (program)
        {
            var subscriber = session.Tap.Subscribe(maxClients, MaxQueuedBytes);
            if (subscriber is null)
            {
                return Results.Problem($"{maxClients} live streams are open already (Management:MaxLiveClients): close one, or use /api/packets for a time window", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            try
            {
                context.Response.ContentType = "application/x-pcapng";
                var writer = new PcapngStreamWriter(context.Response.Body);
                writer.Section(pipeline.Ports, Math.Min(snaplen, pipeline.Snaplen), filter);
                var cancel = context.RequestAborted;
                await writer.FlushAsync(cancel).ConfigureAwait(false);
                long announced = 0;
                try
                {
                    await foreach (var segment in subscriber.Channel.Reader.ReadAllAsync(cancel).ConfigureAwait(false))
                    {
                        var dropped = subscriber.Dropped;
                        if (dropped > announced)
                        {
                            writer.Comment(0, (DateTimeOffset.UtcNow.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100, $"VirtCapture: {dropped - announced} frames dropped from this live stream (the client was too slow); the capture itself lost nothing for it");
                            announced = dropped;
                        }

                        writer.Declare(pipeline.Ports);
                        try
                        {
                            Copy(segment.Data.AsSpan(0, segment.Length), writer, program, snaplen, port);
                        }
                        finally
                        {
                            subscriber.Consumed(segment);
                        }

                        await writer.FlushAsync(cancel).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException)
                {
                    // The client went away.
                }
            }
            finally
            {
                session.Tap.Unsubscribe(subscriber);
                if (session.Tap.Count == 0)
                {
                    // The queues of stalled clients can have grown the heap to many MB: hand it back to the system
                    // now, not at some later collection (a box runs for weeks).
                    GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                }
            }
        }

        return null;
    }

    private static void Copy(ReadOnlySpan<byte> segment, PcapngStreamWriter writer, BpfFilterProgram program, int snaplen, int port)
    {
        var blocks = segment;
        while (true)
        {
            var length = EnhancedPacketReader.Next(blocks, out var isFrame, out var frame, out var data);
            if (length == 0)
            {
                return;
            }

            if (isFrame && (port < 0 || frame.Port == port) && program.Matches(data, frame.WireLength))
            {
                writer.Frame(frame, data, snaplen);
            }

            blocks = blocks[length..];
        }
    }
}
