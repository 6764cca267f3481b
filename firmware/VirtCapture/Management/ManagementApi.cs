using System.Device.Gpio;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
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
        api.MapGet("/config", (CaptureService capture, IOptions<PanelOptions> panel, IOptions<ManagementOptions> management) =>
            Results.Ok(new ConfigResponse(capture.Capture, capture.Storage, panel.Value, new ManagementView(management.Value.Urls), null)));
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
        var session = capture.Session;
        var ports = session is null ? [] : session.Pipeline.Counters().Select((c, p) =>
        {
            var link = session.Pipeline.Link(p);
            return new PortStatus(c.Port, session.Pipeline.Ports[p].Description, new LinkStatus(link.Up, link.SpeedMbps, link.Changes), new CounterStatus(c.Received, c.KernelDropped, c.FilteredOut, c.Accepted, c.BufferDropped, c.Written));
        }).ToArray();
        var (free, total) = SafeMeasure(capture);
        var files = catalog.List();
        var storage = new StorageStatus(capture.Storage.Directory, free, total, total > 0 ? Math.Round(100.0 * (total - free) / total, 1) : 0, files.Count, files.Sum(f => f.Size), capture.Protection.Names, capture.RingStopped);
        var leds = Enum.GetValues<Led>().ToDictionary(BoardDefinition.NameOf, l => panel.Patterns.Count > 0 ? panel.Patterns[(int)l].ToString() : "Off");
        return Results.Ok(new StatusResponse(
            capture.Activity.ToString().ToLowerInvariant(),
            capture.Fault ?? session?.Pipeline.Error?.Message,
            capture.SafeToUnplug,
            capture.Capture.Mode,
            capture.Capture.Backend,
            capture.Capture.Filter,
            capture.Capture.Snaplen,
            Path.GetFileName(session?.Pipeline.Ring.CurrentPath),
            ports,
            storage,
            leds,
            panel.Board.Name,
            Capacity(capture, vms, vmOptions.Value, free, files),
            (long)(DateTimeOffset.UtcNow - capture.StartedAt).TotalSeconds,
            typeof(ManagementApi).Assembly.GetName().Version?.ToString(3)));
    }

    private static async Task<IResult> StartAsync(HttpContext context, CaptureService capture)
    {
        StartRequest? request = null;
        if (context.Request.ContentLength > 0 || context.Request.Headers.ContentType.Count > 0)
        {
            try
            {
                request = await context.Request.ReadFromJsonAsync(FirmwareJsonContext.Default.StartRequest, context.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                return Results.BadRequest(new ApiError($"the body is not the JSON expected ({e.Message})"));
            }
        }

        if (request?.Filter is { Length: > MaxFilterLength })
        {
            return Results.BadRequest(new ApiError($"filter: at most {MaxFilterLength} characters"));
        }

        try
        {
            capture.StartCapture(request?.Filter, request?.Snaplen, request?.Vms);
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

        return Results.Ok(new StateResponse(capture.Activity.ToString().ToLowerInvariant(), capture.Capture.Filter, capture.Capture.Snaplen, capture.Capture.Vms));
    }

    private static async Task<IResult> PutConfigAsync(HttpContext context, CaptureService capture)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return Results.BadRequest(new ApiError($"the body is not JSON: {e.Message}"));
        }

        using (document)
        {
            CaptureOptions? newCapture = null;
            StorageOptions? newStorage = null;
            try
            {
                if (document.RootElement.TryGetProperty("capture", out var c))
                {
                    newCapture = Merge(capture.Capture, c, FirmwareJsonContext.Default.CaptureOptions);
                }

                if (document.RootElement.TryGetProperty("storage", out var s))
                {
                    newStorage = Merge(capture.Storage, s, FirmwareJsonContext.Default.StorageOptions);
                }
            }
            catch (JsonException e)
            {
                return Results.BadRequest(new ApiError($"{e.Path}: {e.Message}"));
            }

            var failures = new List<string>();
            if (newCapture is not null)
            {
                var result = new CaptureOptionsValidator().Validate(null, newCapture);
                failures.AddRange(result.Failed ? result.Failures : []);
            }

            if (newStorage is not null)
            {
                var result = new StorageOptionsValidator().Validate(null, newStorage);
                failures.AddRange(result.Failed ? result.Failures : []);
            }

            if (failures.Count > 0)
            {
                return Results.BadRequest(new ApiError(failures[0], failures));
            }

            await capture.ReconfigureAsync(newCapture, newStorage).ConfigureAwait(false);
            return Results.Ok(new ConfigResponse(capture.Capture, capture.Storage, null, null, capture.Activity.ToString().ToLowerInvariant()));
        }
    }

    private static T Merge<T>(T current, JsonElement changes, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        // Start from the settings in force and apply only what the request names.
        var merged = JsonSerializer.SerializeToNode(current, typeInfo)!.AsObject();
        foreach (var property in changes.EnumerateObject())
        {
            var existing = merged.FirstOrDefault(p => string.Equals(p.Key, property.Name, StringComparison.OrdinalIgnoreCase)).Key;
            if (existing is null)
            {
                throw new JsonException($"unknown setting '{property.Name}'", property.Name, null, null);
            }

            merged[existing] = System.Text.Json.Nodes.JsonNode.Parse(property.Value.GetRawText());
        }

        return merged.Deserialize(typeInfo)!;
    }

    private static IResult Download(string name, CaptureCatalog catalog)
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

        var info = new FileInfo(path);
        var etag = new EntityTagHeaderValue($"\"{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}\"");
        return Results.File(path, "application/x-pcapng", name, info.LastWriteTimeUtc, etag, enableRangeProcessing: true);
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
            return Results.BadRequest(new ApiError("from and to: RFC 3339 times or epoch seconds are needed"));
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

    private static async Task<IResult> LiveAsync(HttpContext context, CaptureService capture, string? filter, int? snaplen)
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

        return await LiveStream.StreamAsync(context, session.Pipeline, filter ?? string.Empty, snaplen ?? Slicer.MaxSnaplen).ConfigureAwait(false) ?? Results.Empty;
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

    private static Vm.CapacityAdvice Capacity(CaptureService capture, Vm.VmObserver vms, Vm.VmOptions options, long free, IReadOnlyList<CaptureFileSummary> files)
    {
        var inventory = vms.Inventory.Snapshot();
        var fps = inventory.Where(v => !v.Gone).Sum(v => v.FramesPerSecond);
        var bytesPerSecond = inventory.Where(v => !v.Gone).Sum(v => v.BytesPerSecond);
        var (_, total) = SafeMeasure(capture);
        var floor = (long)(total * capture.Storage.MinFreePercent / 100);
        var usable = Math.Max(0, free - floor) + files.Sum(f => f.Size);
        return Vm.CapacityAdvisor.Advise(fps, fps > 0 ? bytesPerSecond / fps : 0, usable, capture.Capture.Snaplen, options.TargetRetentionHours, inventory);
    }

    private static (long Free, long Total) SafeMeasure(CaptureService capture)
    {
        try
        {
            return capture.Probe.Measure(capture.Storage.Directory);
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }

}
