using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace VirtCapture.Management;

/// <summary>
/// The web page and what it loads (the vendored chart library, its licence), embedded in the firmware and served by the
/// box alone: gzip-compressed once at start for clients that take it, with an ETag so a browser revalidates the page
/// and keeps the library.
/// </summary>
internal static class WebAssets
{
    private const string Prefix = "wwwroot/";

    private static readonly Lazy<Dictionary<string, Asset>> All = new(Load);

    /// <summary>The page.</summary>
    public static IResult Page(HttpContext context) => Serve(context, "index.html", "no-cache");

    /// <summary>Anything else under /assets/ (404 for names that are not embedded: nothing is read from disk).</summary>
    public static IResult Other(HttpContext context, string name) =>
        name != "index.html" && All.Value.ContainsKey(name) ? Serve(context, name, "private, max-age=604800") : Results.NotFound();

    /// <summary>Bytes of each asset as sent compressed (the page's weight).</summary>
    public static IReadOnlyDictionary<string, int> CompressedSizes => All.Value.ToDictionary(p => p.Key, p => p.Value.Gzip.Length);

    private static IResult Serve(HttpContext context, string name, string cacheControl)
    {
        var asset = All.Value[name];
        var headers = context.Response.Headers;
        headers.CacheControl = cacheControl;
        headers.ETag = asset.ETag;
        headers.Vary = "Accept-Encoding";
        if (context.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        if (context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            headers.ContentEncoding = "gzip";
            return Results.Bytes(asset.Gzip, asset.ContentType);
        }

        return Results.Bytes(asset.Plain, asset.ContentType);
    }

    private static Dictionary<string, Asset> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var plain = new MemoryStream();
            stream.CopyTo(plain);
            using var gzip = new MemoryStream();
            using (var zip = new GZipStream(gzip, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                zip.Write(plain.GetBuffer(), 0, (int)plain.Length);
            }

            var bytes = plain.ToArray();
            var name = resource[Prefix.Length..];
            assets[name] = new Asset(bytes, gzip.ToArray(), ContentType(name), $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}\"");
        }

        return assets.ContainsKey("index.html") ? assets : throw new InvalidOperationException("the web page is missing from the firmware");
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    };

    private sealed record Asset(byte[] Plain, byte[] Gzip, string ContentType, string ETag);
}
