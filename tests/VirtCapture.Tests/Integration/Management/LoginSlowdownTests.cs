using System.Diagnostics;
using System.Net;

namespace VirtCapture.Tests.Integration.Management;

/// <summary>Parallel guessing is no faster than serial guessing: one address's wrong tokens wait their turn.</summary>
public sealed class LoginSlowdownTests : IDisposable
{
    private readonly BoxFixture _box = new HardenedBoxFixture();

    public void Dispose() => _box.Dispose();

    [Fact]
    public async Task Forty_parallel_wrong_tokens_get_at_most_a_handful_of_answers_in_five_seconds()
    {
        var watch = Stopwatch.StartNew();
        var answeredInTime = 0;
        var refused = 0;
        var tasks = Enumerable.Range(0, 40).Select(async i =>
        {
            using var client = _box.Create($"wrong-token-{i:D4}-xxxxxxxxxxxx");
            client.Timeout = TimeSpan.FromSeconds(7);
            HttpResponseMessage response;
            try
            {
                response = await client.GetAsync("/api/status");
            }
            catch (TaskCanceledException)
            {
                // Still waiting its turn: not an answer.
                return;
            }

            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Interlocked.Increment(ref refused);
            }
            else if (watch.Elapsed < TimeSpan.FromSeconds(5))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                Interlocked.Increment(ref answeredInTime);
            }

            response.Dispose();
        }).ToList();
        await Task.WhenAll(tasks);

        // 100, 200, 400, 800, 1600 ms, then 3 s apart: five verdicts fit in five seconds, however many are sent at once.
        Assert.InRange(answeredInTime, 1, 6);
        Assert.True(refused > 0, "an address with a long queue of wrong tokens is refused outright (429)");
    }
}
