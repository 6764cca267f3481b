using System.Net;
using System.Net.Sockets;

namespace VirtCapture.Tests.Support;

/// <summary>A loopback port nobody listens on now: tests never take 8080 from a `make run` beside them.</summary>
public static class FreePort
{
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static string HttpUrl() => $"http://127.0.0.1:{Next()}";
}
