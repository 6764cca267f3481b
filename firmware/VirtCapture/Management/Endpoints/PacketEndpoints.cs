using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using VirtCapture.Configuration;
using VirtCapture.Daemon;
using VirtCapture.Management;
using VirtCapture.Management.Contracts;
using VirtCapture.Panel;
using VirtCapture.Pipeline;

namespace VirtCapture.Management.Endpoints;

/// <summary>Frames as pcapng streams: a time window of the ring (/api/packets) and the running capture (/api/live).</summary>
internal static class PacketEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/packets", PacketsAsync);
        api.MapGet("/live", LiveAsync);
    }

    private static async Task<IResult> PacketsAsync(HttpContext context, CaptureCatalog catalog, string? from, string? to, string? filter, string? port, int? snaplen)
    {
        if (!TimeParameter.TryParse(from, out var fromNs) || !TimeParameter.TryParse(to, out var toNs))
        {
            return Results.BadRequest(new ApiError("from and to: RFC 3339 times or epoch seconds (up to 9000000000) are needed"));
        }

        if (toNs < fromNs)
        {
            return Results.BadRequest(new ApiError("to is before from"));
        }

        if (filter is { Length: > CaptureEndpoints.MaxFilterLength })
        {
            return Results.BadRequest(new ApiError($"filter: at most {CaptureEndpoints.MaxFilterLength} characters"));
        }

        if (Slicer.Problem(snaplen, "snaplen") is { } problem)
        {
            return Results.BadRequest(new ApiError(problem));
        }

        return await PacketQuery.StreamAsync(context, catalog, fromNs, toNs, filter ?? string.Empty, port, snaplen ?? Slicer.MaxSnaplen).ConfigureAwait(false) ?? Results.Empty;
    }

    private static async Task<IResult> LiveAsync(HttpContext context, CaptureService capture, IOptions<ManagementOptions> management, string? filter, int? snaplen)
    {
        if (filter is { Length: > CaptureEndpoints.MaxFilterLength })
        {
            return Results.BadRequest(new ApiError($"filter: at most {CaptureEndpoints.MaxFilterLength} characters"));
        }

        if (Slicer.Problem(snaplen, "snaplen") is { } problem)
        {
            return Results.BadRequest(new ApiError(problem));
        }

        var session = capture.Session;
        if (session is null || capture.Activity != CaptureActivity.Capturing)
        {
            return Results.Conflict(new ApiError("no capture is running: POST /api/capture/start first"));
        }

        return await LiveStream.StreamAsync(context, session, filter ?? string.Empty, snaplen ?? Slicer.MaxSnaplen, management.Value.MaxLiveClients).ConfigureAwait(false) ?? Results.Empty;
    }
}
