using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using VirtCapture.Configuration;
using VirtCapture.Daemon;
using VirtCapture.Hal.Bpf;
using VirtCapture.Management;
using VirtCapture.Management.Contracts;
using VirtCapture.Panel;

namespace VirtCapture.Management.Endpoints;

/// <summary>Starting and stopping the capture, and its settings (GET and PUT /api/config).</summary>
internal static class CaptureEndpoints
{
    /// <summary>Longest capture filter accepted.</summary>
    public const int MaxFilterLength = 1024;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/capture/start", StartAsync);
        api.MapPost("/capture/stop", async (CaptureService capture) =>
        {
            await capture.StopCaptureAsync().ConfigureAwait(false);
            return Results.Ok(new StateResponse("idle"));
        });
        api.MapGet("/config", (CaptureService capture, IOptions<PanelOptions> panel, IOptions<ManagementOptions> management, IConfiguration configuration, ApiSettingsFile saved, ManagementIdentity identity) =>
            Results.Ok(new ConfigResponse(capture.Capture, capture.Storage, panel.Value, new ManagementView(management.Value.Urls, identity.CertificateFingerprint), null, Sources(configuration, saved), saved.Path)));
        api.MapPut("/config", PutConfigAsync);
    }

    private static async Task<IResult> StartAsync(HttpContext context, CaptureService capture, ApiSettingsFile saved)
    {
        StartRequest? request = null;
        if (context.Request.ContentLength > 0 || context.Request.Headers.ContentType.Count > 0)
        {
            if (!context.Request.HasJsonContentType())
            {
                return Results.BadRequest(new ApiError("the body must be JSON (Content-Type: application/json), or empty"));
            }

            try
            {
                request = await context.Request.ReadFromJsonAsync(FirmwareJsonContext.Default.StartRequest, context.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                return Results.BadRequest(new ApiError($"the body is not the JSON expected: {OneLine(e.Message)}"));
            }
        }

        if (request?.Filter is { Length: > CaptureEndpoints.MaxFilterLength })
        {
            return Results.BadRequest(new ApiError($"filter: at most {CaptureEndpoints.MaxFilterLength} characters"));
        }

        try
        {
            var change = ConfigChange.ForStart(request?.Filter, request?.Snaplen, request?.Vms, capture.Capture, request?.Sessions, request?.Triggers, request?.StopAfter);
            if (Validate(change) is { } invalid)
            {
                return invalid;
            }

            // A capture already running is restarted on the new settings, in a new file: the status never shows a
            // filter that is not the one recording.
            if (change.Values.Count > 0)
            {
                await capture.ReconfigureAsync(change.Capture, null).ConfigureAwait(false);
                saved.Save(change.Values);
            }

            capture.StartCapture();
        }
        catch (FilterCompileException e)
        {
            return Results.BadRequest(new ApiError(e.Message));
        }
        catch (UserErrorException e)
        {
            return Results.BadRequest(new ApiError(e.Message));
        }
        catch (Exception e) when (CaptureService.IsFault(e))
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        if (capture.Fault is { } fault && capture.Activity != CaptureActivity.Capturing)
        {
            return Results.Problem(fault, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return Results.Ok(new StateResponse(capture.Activity.ToString().ToLowerInvariant(), capture.Capture.Filter, capture.Capture.Snaplen, capture.Capture.Vms));
    }

    private static async Task<IResult> PutConfigAsync(HttpContext context, CaptureService capture, ApiSettingsFile saved)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return Results.BadRequest(new ApiError($"the body is not JSON: {OneLine(e.Message)}"));
        }

        using (document)
        {
            ConfigChange change;
            try
            {
                change = ConfigChange.Parse(document.RootElement, capture.Capture, capture.Storage);
            }
            catch (UserErrorException e)
            {
                return Results.BadRequest(new ApiError(e.Message));
            }

            if (Validate(change) is { } invalid)
            {
                return invalid;
            }

            await capture.ReconfigureAsync(change.Capture, change.Storage).ConfigureAwait(false);
            try
            {
                saved.Save(change.Values);
            }
            catch (IOException e)
            {
                return Results.Problem($"applied, but not saved for the next start: {e.Message}", statusCode: StatusCodes.Status500InternalServerError);
            }

            return Results.Ok(new ConfigResponse(capture.Capture, capture.Storage, null, null, capture.Activity.ToString().ToLowerInvariant(), change.Values.Keys.ToDictionary(k => k, _ => "api"), saved.Path));
        }
    }

    /// <summary>The start-up validators, so that the API and the configuration file accept exactly the same values.</summary>
    private static IResult? Validate(ConfigChange change)
    {
        var failures = new List<string>();
        if (change.Capture is not null)
        {
            var result = new CaptureOptionsValidator().Validate(null, change.Capture);
            failures.AddRange(result.Failed ? result.Failures : []);
        }

        if (change.Storage is not null)
        {
            var result = new StorageOptionsValidator().Validate(null, change.Storage);
            failures.AddRange(result.Failed ? result.Failures : []);
        }

        return failures.Count > 0 ? Results.BadRequest(new ApiError(failures[0], failures)) : null;
    }

    /// <summary>Where each changeable setting comes from; a value set over the API reads "api" until the file is edited.</summary>
    private static Dictionary<string, string> Sources(IConfiguration configuration, ApiSettingsFile saved) =>
        ConfigChange.Changeable.ToDictionary(k => k, k => saved.SourceOf(configuration, k));

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
