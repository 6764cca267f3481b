using System.Text.Json;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Management;

/// <summary>The web page in Debian's headless Chromium, driven by playwright-core (tests/web/page-check.mjs).</summary>
public sealed class WebPageTests : IClassFixture<BoxFixture>
{
    private static readonly string Script = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../web/page-check.mjs"));
    private readonly BoxFixture _box;

    public WebPageTests(BoxFixture box)
    {
        _box = box;
    }

    [Fact]
    public void The_page_logs_in_shows_the_state_and_starts_and_stops_the_capture()
    {
        var screenshot = Path.Combine(AppContext.BaseDirectory, "web-page.png");
        File.Delete(screenshot);
        var run = Run.Program("node", [Script, _box.BaseAddress.ToString().TrimEnd('/'), _box.Token, screenshot], TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, $"the page check failed to run: {run.StdErr}");
        using var seen = JsonDocument.Parse(run.Lines.Last());
        var page = seen.RootElement;
        Assert.False(page.TryGetProperty("error", out var error), $"in the browser: {error}");
        Assert.Equal(401, page.GetProperty("loginStatus").GetInt32());
        Assert.StartsWith("capturing", page.GetProperty("stateBefore").GetString(), StringComparison.Ordinal);
        Assert.Equal(7, page.GetProperty("ledCount").GetInt32());
        Assert.True(page.GetProperty("files").GetInt32() > 0);
        Assert.True(page.GetProperty("vms").GetInt32() >= 6, "the simulated board's VMs are listed");
        Assert.StartsWith("Capacity: ", page.GetProperty("capacity").GetString(), StringComparison.Ordinal);
        Assert.Contains("Capture:Filter from default", page.GetProperty("settings").GetString(), StringComparison.Ordinal);
        Assert.Contains("api-settings.json", page.GetProperty("settings").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("/api/captures/vc_", page.GetProperty("firstDownload").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("idle", page.GetProperty("stateAfterStop").GetString(), StringComparison.Ordinal);
        Assert.Contains("syntax error", page.GetProperty("filterError").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("capturing", page.GetProperty("stateAfterStart").GetString(), StringComparison.Ordinal);
        Assert.True(page.GetProperty("litLeds").GetInt32() >= 2, "POWER and CAPTURE at least are lit");
        Assert.Equal(2, page.GetProperty("ports").GetInt32());
        Assert.True(new FileInfo(screenshot).Length > 10_000, "a screenshot was taken");
    }
}
