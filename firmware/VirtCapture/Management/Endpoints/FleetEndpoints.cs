using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using VirtCapture.Fleet;
using VirtCapture.Management.Contracts;

namespace VirtCapture.Management.Endpoints;

/// <summary>The site through this box: followed VMs and boxes, following a VM, and one query over every box.</summary>
internal static class FleetEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/fleet", (FleetService fleet) => Results.Ok(fleet.View()));
        api.MapPost("/fleet/follow", FollowAsync);
        api.MapGet("/fleet/packets", PacketsAsync);
    }

    private static async Task<IResult> FollowAsync(FollowRequest? request, FleetService fleet)
    {
        if (!fleet.View().Enabled)
        {
            return Results.Problem("this box is in no fleet (Fleet:Broker)", statusCode: StatusCodes.Status409Conflict);
        }

        if (request?.Mac is not { } text || !Vm.Mac.TryParse(text, out var bytes))
        {
            return Results.BadRequest(new ApiError($"mac: a VM's MAC address, got '{request?.Mac}'"));
        }

        var mac = Vm.Mac.Format(bytes);
        return await fleet.FollowAsync(mac, request.Follow).ConfigureAwait(false)
            ? Results.Ok(new FollowResponse(mac, request.Follow))
            : Results.Problem("the broker is not reachable now: try again", statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    // The same merge as `virtcapture fleet packets`, streamed to the client; the boxes share this box's token.
    private static async Task<IResult> PacketsAsync(HttpContext context, FleetService fleet, TokenStore tokens, string? vm, string? filter, string? from, string? to)
    {
        if (!fleet.View().Enabled)
        {
            return Results.Problem("this box is in no fleet (Fleet:Broker)", statusCode: StatusCodes.Status409Conflict);
        }

        if (!TimeParameter.TryParse(from, out _) || !TimeParameter.TryParse(to, out _))
        {
            return Results.BadRequest(new ApiError("from and to: RFC 3339 times or epoch seconds (up to 9000000000) are needed"));
        }

        string expression;
        try
        {
            expression = vm is { Length: > 0 } ? Vm.VmSelection.Filter(null, [vm], "vm").Recorded : filter ?? string.Empty;
        }
        catch (UserErrorException e)
        {
            return Results.BadRequest(new ApiError(e.Message));
        }

        context.Response.ContentType = "application/x-pcapng";
        context.Response.Headers.ContentDisposition = "attachment; filename=\"virtcapture-fleet.pcapng\"";
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var merge = new FleetPacketMerge(http, tokens.Token);
        var query = $"from={Uri.EscapeDataString(from!)}&to={Uri.EscapeDataString(to!)}&filter={Uri.EscapeDataString(expression)}";
        await merge.WriteAsync(fleet.Boxes, query, context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        return Results.Empty;
    }
}
