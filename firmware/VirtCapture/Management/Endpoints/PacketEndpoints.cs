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

    private static async Task<IResult> LiveAsync(HttpContext context, CaptureService capture, IOptions<ManagementOptions> management, string? filter, int? snaplen, string? port)
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

        var portIndex = -1;
        if (port is not null)
        {
            portIndex = session.Pipeline.Ports.ToList().FindIndex(p => p.Name.Equals(port, StringComparison.OrdinalIgnoreCase));
            if (portIndex < 0)
            {
                return Results.BadRequest(new ApiError($"port: no port or session named '{port}' (the capture has {string.Join(", ", session.Pipeline.Ports.Select(p => p.Name))})"));
            }
        }

        return await LiveStream.StreamAsync(context, session, filter ?? string.Empty, snaplen ?? Slicer.MaxSnaplen, management.Value.MaxLiveClients, portIndex).ConfigureAwait(false) ?? Results.Empty;
    }
}
