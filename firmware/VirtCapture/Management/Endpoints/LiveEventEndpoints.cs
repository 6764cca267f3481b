using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using VirtCapture.Management.Contracts;
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
                var update = sampler.Since(samples, markers);
                if (first || update.Samples.Count > 0 || update.Markers.Count > 0)
                {
                    await context.Response.WriteAsync("event: update\ndata: ", cancel).ConfigureAwait(false);
                    await JsonSerializer.SerializeAsync(context.Response.Body, update, FirmwareJsonContext.Default.LiveUpdate, cancel).ConfigureAwait(false);
                    await context.Response.WriteAsync("\n\n", cancel).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(cancel).ConfigureAwait(false);
                    samples = update.Samples.Count > 0 ? update.Samples[^1].Sequence + 1 : samples;
                    markers = update.Markers.Count > 0 ? update.Markers[^1].Sequence + 1 : markers;
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
