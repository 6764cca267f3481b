using System.Text.Json;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Triggers;

/// <summary>Triggers armed and incidents fetched from the web page, in Debian's headless Chromium (tests/web/incidents-check.mjs).</summary>
public sealed class IncidentPageTests
{
    private static readonly string Script = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../web/incidents-check.mjs"));

    [Fact]
    public void A_trigger_armed_on_the_page_makes_an_incident_the_page_lists_and_downloads()
    {
        using var box = new TriggerBox(null, []);
        var token = box.Client.DefaultRequestHeaders.Authorization!.Parameter!;
        var run = Run.Program("node", [Script, box.Url, token], TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, $"the page check failed to run: {run.StdErr}");
        using var seen = JsonDocument.Parse(run.Lines.Last());
        var page = seen.RootElement;
        Assert.False(page.TryGetProperty("error", out var error), $"in the browser: {error}\n{box.Process.Output}");
        Assert.Empty(page.GetProperty("consoleErrorsBeforeBadRule").EnumerateArray());
        var row = Assert.Single(page.GetProperty("rows").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetString()!).ToArray()), r => r[1] == "marked");
        Assert.StartsWith("incident-", row[0], StringComparison.Ordinal);
        Assert.Equal("complete", row[4]);
        Assert.True(int.Parse(row[5], System.Globalization.CultureInfo.InvariantCulture) > 1000, $"about 3 s at 2000 frames/s, got {row[5]}");
        Assert.Equal(200, page.GetProperty("download").GetProperty("status").GetInt32());
        Assert.Equal("0a0d0d0a", page.GetProperty("download").GetProperty("magic").GetString());
        Assert.Equal("marked: event=mark; pre=2s; post=1s", page.GetProperty("armed").GetString());
        Assert.Contains("filter 'tcp port nonsense' is not a valid capture filter", page.GetProperty("badRuleError").GetString(), StringComparison.Ordinal);
    }
}
