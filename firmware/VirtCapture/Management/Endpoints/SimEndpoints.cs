using System.Device.Gpio;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using VirtCapture.Configuration;
using VirtCapture.Hal.Gpio;
using VirtCapture.Management.Contracts;
using VirtCapture.Panel;

namespace VirtCapture.Management.Endpoints;

/// <summary>The simulated board's buttons, pressed over the API.</summary>
internal static class SimEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/sim/buttons/{button}", PressAsync);
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
}
