using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace VirtCapture.Extcap;

/// <summary>One box's API as the extcap calls it; every failure a user can meet becomes one line naming the box.</summary>
internal sealed class ExtcapBoxClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly ExtcapBox _box;
    private bool _wrongCertificate;

    public ExtcapBoxClient(ExtcapBox box, string? token, TimeSpan timeout)
    {
        _box = box;
        token ??= ReadToken(box);
        var handler = new HttpClientHandler();
        if (box.Fingerprint.Length > 0)
        {
            // The box makes its own certificate at first start: it is trusted by its fingerprint, not by a CA.
            var pinned = box.Fingerprint.Replace(":", string.Empty, StringComparison.Ordinal);
            handler.ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                var matches = certificate is not null && certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256).Equals(pinned, StringComparison.OrdinalIgnoreCase);
                _wrongCertificate |= !matches;
                return matches;
            };
        }

        _http = new HttpClient(handler) { BaseAddress = new Uri(box.Url.TrimEnd('/') + "/"), Timeout = timeout };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>GET a JSON document.</summary>
    /// <exception cref="UserErrorException">The box is unreachable or refused.</exception>
    public async Task<JsonDocument> GetJsonAsync(string path, CancellationToken cancel)
    {
        using var response = await SendAsync(path, cancel).ConfigureAwait(false);
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false), cancellationToken: cancel).ConfigureAwait(false);
    }

    /// <summary>GET with the headers read and the body still streaming.</summary>
    /// <exception cref="UserErrorException">The box is unreachable or refused.</exception>
    public async Task<HttpResponseMessage> SendAsync(string path, CancellationToken cancel)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
        }
        catch (HttpRequestException) when (_wrongCertificate)
        {
            throw new UserErrorException($"box {_box.Name} ({_box.Url}): its HTTPS certificate is not the one pinned ({_box.Fingerprint}); if the box was reinstalled, add it again with the fingerprint `virtcapture token` prints on it");
        }
        catch (HttpRequestException e)
        {
            throw new UserErrorException($"box {_box.Name} ({_box.Url}) is not reachable: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new UserErrorException($"box {_box.Name} ({_box.Url}) did not answer within {_http.Timeout.TotalSeconds:0} s");
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
            var reason = response.StatusCode == HttpStatusCode.Unauthorized
                ? "the token was refused (check the token file, or the token typed in Wireshark)"
                : ErrorOf(body) ?? $"{(int)response.StatusCode} {response.ReasonPhrase}";
            throw new UserErrorException($"box {_box.Name}: {reason}");
        }
    }

    public void Dispose() => _http.Dispose();

    private static string ReadToken(ExtcapBox box)
    {
        if (box.TokenFile.Length == 0)
        {
            throw new UserErrorException($"box {box.Name}: no token file is configured; type the token in Wireshark's interface options (API token)");
        }

        try
        {
            return File.ReadAllText(box.TokenFile).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserErrorException($"box {box.Name}: cannot read the token file {box.TokenFile}: {e.Message}");
        }
    }

    private static string? ErrorOf(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("error", out var error) ? error.GetString()
                : json.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
