using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using VirtCapture.Management.Contracts;
using VirtCapture.Triggers;

namespace VirtCapture.Management.Endpoints;

/// <summary>Incidents: list, download (with ranges) and delete, only regular files directly in <c>incidents/</c>.</summary>
internal static class IncidentEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/incidents", (IncidentRecorder incidents) => Results.Ok(incidents.Store.List()));
        api.MapGet("/incidents/{name}", Download);
        api.MapDelete("/incidents/{name}", Delete);
    }

    private static IResult Download(string name, IncidentRecorder incidents)
    {
        if (!IncidentStore.IsValidName(name))
        {
            return Results.BadRequest(new ApiError("not an incident name"));
        }

        var stream = incidents.Store.OpenRead(name);
        if (stream is null)
        {
            return Results.NotFound(new ApiError(incidents.Store.List().Any(i => i.Name == name) ? $"incident {name} is still being recorded" : $"no incident named {name}"));
        }

        var modified = File.GetLastWriteTimeUtc(stream.SafeFileHandle);
        var etag = new EntityTagHeaderValue($"\"{stream.Length:x}-{modified.Ticks:x}\"");
        return Results.File(stream, "application/x-pcapng", name + ".pcapng", modified, etag, enableRangeProcessing: true);
    }

    private static IResult Delete(string name, IncidentRecorder incidents)
    {
        if (!IncidentStore.IsValidName(name))
        {
            return Results.BadRequest(new ApiError("not an incident name"));
        }

        if (incidents.Store.List().FirstOrDefault(i => i.Name == name) is { Complete: false })
        {
            return Results.Conflict(new ApiError($"incident {name} is still being recorded"));
        }

        return incidents.Store.Delete(name) ? Results.NoContent() : Results.NotFound(new ApiError($"no incident named {name}"));
    }
}
