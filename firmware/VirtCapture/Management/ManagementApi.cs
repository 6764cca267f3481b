using System.Device.Gpio;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Prometheus;
using VirtCapture.Configuration;
using VirtCapture.Daemon;
using VirtCapture.Hal.Bpf;
using VirtCapture.Hal.Gpio;
using VirtCapture.Management.Contracts;
using VirtCapture.Panel;
using VirtCapture.Pipeline;

namespace VirtCapture.Management;

/// <summary>The management endpoints (minimal API on Kestrel), all but /health behind the token.</summary>
internal static class ManagementApi
{
    private const int MaxFilterLength = 1024;

    public static void MapManagement(this WebApplication app)
    {
        app.MapGet("/health", () => Results.Ok(new HealthResponse("ok")));
        app.MapGet("/", () => Results.Content(WebPage.Page, "text/html; charset=utf-8"));
        app.MapMetrics("/metrics", app.Services.GetRequiredService<MetricsExporter>().Registry);
        app.MapOpenApi();

        var api = app.MapGroup("/api");
        api.MapGet("/status", Status);
        api.MapPost("/capture/start", StartAsync);
        api.MapPost("/capture/stop", async (CaptureService capture) =>
        {
            await capture.StopCaptureAsync().ConfigureAwait(false);
            return Results.Ok(new StateResponse("idle"));
        });
        api.MapGet("/config", (CaptureService capture, IOptions<PanelOptions> panel, IOptions<ManagementOptions> management, IConfiguration configuration, ApiSettingsFile saved, ManagementIdentity identity) =>
            Results.Ok(new ConfigResponse(capture.Capture, capture.Storage, panel.Value, new ManagementView(management.Value.Urls, identity.CertificateFingerprint), null, Sources(configuration, saved), saved.Path)));
        api.MapPut("/config", PutConfigAsync);
        api.MapGet("/captures", (CaptureCatalog catalog) => Results.Ok(catalog.List()));
        api.MapGet("/captures/{name}", Download);
        api.MapDelete("/captures/{name}", Delete);
        api.MapGet("/packets", PacketsAsync);
        api.MapGet("/live", LiveAsync);
        api.MapPost("/sim/buttons/{button}", PressAsync);
        api.MapGet("/vms", (Vm.VmObserver vms) => Results.Ok(vms.Inventory.Snapshot()));
        api.MapGet("/events", (Vm.VmObserver vms) => Results.Ok(vms.Inventory.Events()));
    }

    private static IResult Status(CaptureService capture, FrontPanel panel, CaptureCatalog catalog, Vm.VmObserver vms, IOptions<Vm.VmOptions> vmOptions)
    {
        var now = capture.Snapshot();
        var ports = now.Ports.Select(p => new PortStatus(p.Counters.Port, p.Description, new LinkStatus(p.Link.Up, p.Link.SpeedMbps, p.Link.Changes),
            new CounterStatus(p.Counters.Received, p.Counters.KernelDropped, p.Counters.FilteredOut, p.Counters.Accepted, p.Counters.BufferDropped, p.Counters.Written))).ToArray();
        var files = catalog.List();
        var storage = new StorageStatus(capture.Storage.Directory, now.DiskFree, now.DiskTotal, Math.Round(now.DiskUsedPercent, 1), files.Count, files.Sum(f => f.Size), capture.Protection.Names, now.RingStopped);
        var leds = Enum.GetValues<Led>().ToDictionary(BoardDefinition.NameOf, l => panel.Patterns.Count > 0 ? panel.Patterns[(int)l].ToString() : "Off");
        return Results.Ok(new StatusResponse(
            now.Activity.ToString().ToLowerInvariant(),
            now.Fault,
            now.SafeToUnplug,
            capture.Capture.Mode,
            capture.Capture.Backend,
            capture.Capture.Filter,
            capture.Capture.Snaplen,
            now.CurrentFile,
            ports,
            storage,
            leds,
            panel.Board.Name,
            Capacity(capture, vms, vmOptions.Value, now, files),
            (long)(DateTimeOffset.UtcNow - capture.StartedAt).TotalSeconds,
            typeof(ManagementApi).Assembly.GetName().Version?.ToString(3)));
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

        if (request?.Filter is { Length: > MaxFilterLength })
        {
            return Results.BadRequest(new ApiError($"filter: at most {MaxFilterLength} characters"));
        }

        try
        {
            var change = ConfigChange.ForStart(request?.Filter, request?.Snaplen, request?.Vms, capture.Capture);
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

        if (capture.Protection.IsProtected(name))
        {
            return Results.Conflict(new ApiError($"{name} is protected by a MARK"));
        }

        File.Delete(path);
        return Results.NoContent();
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

        if (filter is { Length: > MaxFilterLength })
        {
            return Results.BadRequest(new ApiError($"filter: at most {MaxFilterLength} characters"));
        }

        if (snaplen is < 14 or > Slicer.MaxSnaplen)
        {
            return Results.BadRequest(new ApiError($"snaplen must be between 14 and {Slicer.MaxSnaplen}"));
        }

        return await PacketQuery.StreamAsync(context, catalog, fromNs, toNs, filter ?? string.Empty, port, snaplen ?? Slicer.MaxSnaplen).ConfigureAwait(false) ?? Results.Empty;
    }

    private static async Task<IResult> LiveAsync(HttpContext context, CaptureService capture, IOptions<ManagementOptions> management, string? filter, int? snaplen)
    {
        if (filter is { Length: > MaxFilterLength })
        {
            return Results.BadRequest(new ApiError($"filter: at most {MaxFilterLength} characters"));
        }

        if (snaplen is < 14 or > Slicer.MaxSnaplen)
        {
            return Results.BadRequest(new ApiError($"snaplen must be between 14 and {Slicer.MaxSnaplen}"));
        }

        var session = capture.Session;
        if (session is null || capture.Activity != CaptureActivity.Capturing)
        {
            return Results.Conflict(new ApiError("no capture is running: POST /api/capture/start first"));
        }

        return await LiveStream.StreamAsync(context, session, filter ?? string.Empty, snaplen ?? Slicer.MaxSnaplen, management.Value.MaxLiveClients).ConfigureAwait(false) ?? Results.Empty;
    }

    private static async Task<IResult> PressAsync(string button, HttpContext context, GpioDriver driver, FrontPanel panel, IOptions<PanelOptions> options)
    {
        if (driver is not SimulatedGpioDriver simulated)
        {
            return Results.NotFound(new ApiError("only the simulated board has buttons to press from here"));
        }

        var name = button.ToUpperInvariant();
        if (!panel.Board.Buttons.TryGetValue(name, out var line))
        {
            return Results.NotFound(new ApiError($"no button {button} (start-stop, mark)"));
        }

        ButtonRequest? request;
        try
        {
            request = await context.Request.ReadFromJsonAsync(FirmwareJsonContext.Default.ButtonRequest, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return Results.BadRequest(new ApiError("body: {\"action\":\"press\"} or {\"action\":\"hold\"}"));
        }

        var duration = request?.Action switch
        {
            "press" => TimeSpan.FromMilliseconds(120),
            "hold" => TimeSpan.FromSeconds(options.Value.HoldSeconds + 0.3),
            _ => TimeSpan.Zero,
        };
        if (duration == TimeSpan.Zero)
        {
            return Results.BadRequest(new ApiError("action: press or hold"));
        }

        await SimulatedPanelKeys.PressAsync(simulated, line, duration, context.RequestAborted).ConfigureAwait(false);
        return Results.Ok(new ButtonResponse(name, request!.Action!));
    }

    private static Vm.CapacityAdvice Capacity(CaptureService capture, Vm.VmObserver vms, Vm.VmOptions options, BoxSnapshot now, IReadOnlyList<CaptureFileSummary> files)
    {
        var (free, total) = (now.DiskFree, now.DiskTotal);
        var inventory = vms.Inventory.Snapshot();
        var fps = inventory.Where(v => !v.Gone).Sum(v => v.FramesPerSecond);
        var bytesPerSecond = inventory.Where(v => !v.Gone).Sum(v => v.BytesPerSecond);
        var floor = (long)(total * capture.Storage.MinFreePercent / 100);
        var usable = Math.Max(0, free - floor) + files.Sum(f => f.Size);
        var storage = capture.Storage;
        if (storage.MaxFiles > 0 && storage.FileSizeMB > 0)
        {
            usable = Math.Min(usable, storage.MaxFiles * storage.FileSizeMB * 1_000_000L);
        }

        var maxHours = storage.MaxFiles > 0 && storage.FileDurationSeconds > 0 ? storage.MaxFiles * (double)storage.FileDurationSeconds / 3600 : double.PositiveInfinity;
        return Vm.CapacityAdvisor.Advise(fps, fps > 0 ? bytesPerSecond / fps : 0, usable, capture.Capture.Snaplen, options.TargetRetentionHours, inventory, maxHours);
    }


}
