using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Prometheus;
using VirtCapture.Management.Contracts;

namespace VirtCapture.Management;

/// <summary>The management endpoints (minimal API on Kestrel), all but /health behind the token, in groups.</summary>
internal static class ManagementApi
{
    public static void MapManagement(this WebApplication app)
    {
        app.MapGet("/health", () => Results.Ok(new HealthResponse("ok")));
        app.MapGet("/", WebAssets.Page);
        app.MapGet("/assets/{name}", WebAssets.Other);
        app.MapMetrics("/metrics", app.Services.GetRequiredService<MetricsExporter>().Registry);
        app.MapOpenApi();

        var api = app.MapGroup("/api");
        Endpoints.StatusEndpoints.Map(api);
        Endpoints.CaptureEndpoints.Map(api);
        Endpoints.FileEndpoints.Map(api);
        Endpoints.PacketEndpoints.Map(api);
        Endpoints.VmEndpoints.Map(api);
        Endpoints.FleetEndpoints.Map(api);
        Endpoints.IncidentEndpoints.Map(api);
        Endpoints.SimEndpoints.Map(api);
        Endpoints.LiveEventEndpoints.Map(api);
    }
}
