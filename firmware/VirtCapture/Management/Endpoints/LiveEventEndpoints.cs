using System.Buffers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using VirtCapture.Management.Live;

namespace VirtCapture.Management.Endpoints;

/// <summary>
/// GET /api/events/live: the page's live graphs as server-sent events. The first event carries the kept history (the
/// last minutes), each next one what is new since; the stream ends when the token it was opened with no longer
/// opens the box (the token file was given a new one), with a last event saying so.
/// </summary>
internal static class LiveEventEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/events/live", StreamAsync);
    }

    private static async Task StreamAsync(HttpContext context, LiveSampler sampler, TokenStore tokens)
    {
        var presented = ManagementAuth.Presented(context.Request);
        var cancel = context.RequestAborted;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-store";
        // Proxies (nginx) must not hold the events back.
        context.Response.Headers["X-Accel-Buffering"] = "no";
        var (samples, markers, first) = (0L, 0L, true);
        try
        {
            await context.Response.WriteAsync("retry: 2000\n\n", cancel).ConfigureAwait(false);
            while (!cancel.IsCancellationRequested)
            {
                if (!tokens.Matches(presented))
                {
                    await context.Response.WriteAsync("event: end\ndata: {\"reason\":\"the token was changed: log in again\"}\n\n", cancel).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(cancel).ConfigureAwait(false);
                    return;
                }

                // Waiting is asked for before reading, so a sample taken in between wakes this stream.
                var next = sampler.WaitAsync(cancel);
                if (first || sampler.Counts != (samples, markers))
                {
                    var body = context.Response.BodyWriter;
                    body.Write("event: update\ndata: "u8);
                    (samples, markers) = sampler.WriteSince(samples, markers, body);
                    body.Write("\n\n"u8);
                    await body.FlushAsync(cancel).ConfigureAwait(false);
                    first = false;
                }

                await next.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
    }
}
