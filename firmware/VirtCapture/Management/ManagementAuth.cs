using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace VirtCapture.Management;

/// <summary>
/// Every request except /health needs the token: as a bearer token (curl, Wireshark scripts, Prometheus) or as the
/// HttpOnly cookie the web page's login sets. Failures from one address are answered more and more slowly.
/// </summary>
internal static class ManagementAuth
{
    public const string Cookie = "vc_token";

    public static void UseTokenAuthentication(this WebApplication app, TokenStore tokens, FailedLogins failures)
    {
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (path == "/health" || (path == "/login" && HttpMethods.IsPost(context.Request.Method)))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var address = context.Connection.RemoteIpAddress;
            if (await RefuseLockedAsync(context, failures).ConfigureAwait(false))
            {
                return;
            }

            var presented = Presented(context.Request);
            if (presented is not null && tokens.Matches(presented))
            {
                failures.Succeed(address);
                await next(context).ConfigureAwait(false);
                return;
            }

            if (presented is not null)
            {
                await Task.Delay(failures.Fail(address), context.RequestAborted).ConfigureAwait(false);
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"VirtCapture\"";
            if (path == "/" && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal))
            {
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync(WebPage.Login(failed: presented is not null || context.Request.Query.ContainsKey("failed")), context.RequestAborted).ConfigureAwait(false);
                return;
            }

            await context.Response.WriteAsJsonAsync(new Contracts.ApiError("a bearer token is needed (virtcapture token prints it)"), Contracts.FirmwareJsonContext.Default.ApiError, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        });

        // The web page's login: the token posted from the form becomes an HttpOnly cookie.
        app.MapPost("/login", async (HttpContext context) =>
        {
            if (await RefuseLockedAsync(context, failures).ConfigureAwait(false))
            {
                return Results.Empty;
            }

            if (!context.Request.HasFormContentType)
            {
                return Results.BadRequest(new Contracts.ApiError("POST /login takes a form with the token (application/x-www-form-urlencoded)"));
            }

            IFormCollection form;
            try
            {
                form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            }
            catch (InvalidDataException)
            {
                return Results.BadRequest(new Contracts.ApiError("the login form could not be read"));
            }

            var token = form["token"].ToString();
            if (!tokens.Matches(token))
            {
                await Task.Delay(failures.Fail(context.Connection.RemoteIpAddress), context.RequestAborted).ConfigureAwait(false);
                return Results.Redirect("/?failed=1");
            }

            failures.Succeed(context.Connection.RemoteIpAddress);
            context.Response.Cookies.Append(Cookie, token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps, Path = "/" });
            return Results.Redirect("/");
        }).DisableAntiforgery();
    }

    /// <summary>The token a request carries: its bearer token, else the page's cookie.</summary>
    public static string? Presented(HttpRequest request)
    {
        // The scheme is case-insensitive (RFC 9110 11.1): "bearer x" is as good as "Bearer x".
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : request.Cookies[Cookie];
    }

    /// <summary>429 at once, token unread, for an address with too many wrong tokens still waiting.</summary>
    private static async Task<bool> RefuseLockedAsync(HttpContext context, FailedLogins failures)
    {
        var wait = failures.Locked(context.Connection.RemoteIpAddress);
        if (wait <= TimeSpan.Zero)
        {
            return false;
        }

        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await context.Response.WriteAsJsonAsync(new Contracts.ApiError("too many wrong tokens from this address: wait and try again"), Contracts.FirmwareJsonContext.Default.ApiError, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        return true;
    }
}
