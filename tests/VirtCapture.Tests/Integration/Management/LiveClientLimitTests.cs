using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Management;

/// <summary>Live clients that never read cost bounded memory, are capped in number, and give the memory back.</summary>
public sealed class LiveClientLimitTests : IDisposable
{
    private readonly BoxFixture _box = new FastBoxFixture();

    public void Dispose() => _box.Dispose();

    [Fact]
    public async Task Stalled_live_clients_hold_bounded_memory_the_ninth_gets_503_and_the_memory_comes_back()
    {
        var pid = _box.Firmware.Pid;
        await Task.Delay(1000);
        var before = RssMb(pid);
        var stalled = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 8; i++)
            {
                stalled.Add(await OpenStalledAsync());
            }

            await Task.Delay(8000);
            var during = RssMb(pid);
            using (var ninth = await _box.Client.GetAsync("/api/live", HttpCompletionOption.ResponseHeadersRead))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, ninth.StatusCode);
                Assert.Contains("live streams are open already", await ninth.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            // 8 clients × 8 MiB of queue, plus Kestrel's and the socket's buffers: not the hundreds of MB of before.
            Assert.True(during - before < 140, $"RSS grew from {before} MB to {during} MB with 8 stalled clients");
        }
        finally
        {
            foreach (var client in stalled)
            {
                client.Dispose();
            }
        }

        double after = 0;
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(500);
            after = RssMb(pid);
            if (after - before < 40)
            {
                break;
            }
        }

        Assert.True(after - before < 40, $"RSS {after} MB after the clients left, {before} MB before them");
        using var again = await _box.Client.GetAsync("/api/live", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    private async Task<TcpClient> OpenStalledAsync()
    {
        // A client that sends its request and then never reads: the kernel's buffers fill, then the box's queue.
        var client = new TcpClient { ReceiveBufferSize = 4096 };
        await client.ConnectAsync(IPAddress.Loopback, _box.Port);
        var request = $"GET /api/live HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {_box.Token}\r\n\r\n";
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(request));
        return client;
    }

    private static double RssMb(int pid)
    {
        var line = File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}
