using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using VirtCapture.Daemon;
using VirtCapture.Management;
using VirtCapture.Management.Contracts;

namespace VirtCapture.Management.Endpoints;

/// <summary>The capture files: list, download (with ranges), delete; only regular files really in the capture directory.</summary>
internal static class FileEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/captures", (CaptureCatalog catalog) => Results.Ok(catalog.List()));
        api.MapGet("/captures/{name}", Download);
        api.MapDelete("/captures/{name}", Delete);
    }

    private static IResult Download(string name, CaptureCatalog catalog)
    {
        if (!CaptureCatalog.IsValidName(name))
        {
            return Results.BadRequest(new ApiError("not a capture file name"));
        }

        // Opened without following links, and checked to be a regular file on the open descriptor itself.
        var stream = catalog.OpenRead(name);
        if (stream is null)
        {
            return Results.NotFound(new ApiError($"no capture named {name}"));
        }

        var modified = File.GetLastWriteTimeUtc(stream.SafeFileHandle);
        var etag = new EntityTagHeaderValue($"\"{stream.Length:x}-{modified.Ticks:x}\"");
        return Results.File(stream, "application/x-pcapng", name, modified, etag, enableRangeProcessing: true);
    }

    private static IResult Delete(string name, CaptureCatalog catalog, CaptureService capture)
    {
        if (!CaptureCatalog.IsValidName(name))
        {
            return Results.BadRequest(new ApiError("not a capture file name"));
        }

        var path = catalog.Resolve(name);
        if (path is null)
        {
            return Results.NotFound(new ApiError($"no capture named {name}"));
        }

        if (catalog.IsWriting(path))
        {
            return Results.Conflict(new ApiError($"{name} is being written"));
        }

        if (capture.HeldBecause(name) is { } held)
        {
            return Results.Conflict(new ApiError($"{name} is {held}"));
        }

        File.Delete(path);
        return Results.NoContent();
    }
}
