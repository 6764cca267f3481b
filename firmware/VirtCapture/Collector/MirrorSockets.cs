using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using VirtCapture.Hal.Interop;

namespace VirtCapture.Collector;

/// <summary>
/// Sockets that make the collector's kernel accept mirror traffic silently: without a listener, Linux answers every
/// VXLAN or Geneve datagram with ICMP port unreachable and every GRE packet with protocol unreachable, back at the
/// hypervisor. A bound UDP socket per port and a raw GRE socket stop that; they are never read (the capture reads
/// the frames from the port), so their receive buffers are kept tiny and simply overflow.
/// </summary>
internal sealed class MirrorSockets : IDisposable
{
    private const int IpProtoGre = 47;
    private const int SockRaw = 3;
    private readonly List<Socket> _sockets = [];
    private int _gre = -1;

    /// <summary>Opens the sockets on <paramref name="address"/>.</summary>
    /// <exception cref="Daemon.PortSetupException">A port is taken, or raw sockets are not allowed (no CAP_NET_RAW).</exception>
    public MirrorSockets(IPAddress address)
    {
        var port = 0;
        try
        {
            foreach (var udpPort in new[] { MirrorDecapsulator.VxlanPort, MirrorDecapsulator.LinuxVxlanPort, MirrorDecapsulator.GenevePort })
            {
                port = udpPort;
                var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 };
                _sockets.Add(udp);
                udp.Bind(new IPEndPoint(address, udpPort));
            }

            // .NET has no raw socket for IP protocol 47: libc's socket(2) opens it.
            _gre = LibcNative.socket(address.AddressFamily == AddressFamily.InterNetwork ? 2 : 10, SockRaw, IpProtoGre);
            if (_gre < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new Daemon.PortSetupException($"Capture:Collector: cannot open a raw GRE socket on {address} to keep the kernel from answering mirrored GRE: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}; the box needs CAP_NET_RAW)");
            }
        }
        catch (SocketException e)
        {
            Dispose();
            throw new Daemon.PortSetupException($"Capture:Collector: cannot listen on {address} UDP {port} (needed so the kernel does not answer the mirror sessions): {e.Message}");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        _sockets.Clear();
        if (_gre >= 0)
        {
            _ = LibcNative.close(_gre);
            _gre = -1;
        }
    }
}
