using Microsoft.Extensions.Logging;
using VirtCapture.Configuration;
using VirtCapture.Hal.AfPacket;
using VirtCapture.Hal.Libpcap;
using VirtCapture.Hal.Frames;
using VirtCapture.Hal.Replay;
using VirtCapture.Hal.Synthetic;

using VirtCapture.Collector;

namespace VirtCapture.Daemon;

/// <summary>Builds the configured frame source (<c>Capture:Backend</c>).</summary>
internal static class FrameSourceFactory
{
    /// <summary>Port names from the configuration, or the board's defaults.</summary>
    public static IReadOnlyList<PortOptions> Ports(CaptureOptions options) =>
        options.Ports.Count > 0 ? options.Ports : [new PortOptions { Name = "A", Interface = "eth1" }, new PortOptions { Name = "B", Interface = "eth2" }];

    /// <summary>Opens the source.</summary>
    /// <exception cref="UserErrorException">The backend cannot run here.</exception>
    /// <exception cref="PortSetupException">The ports cannot be prepared.</exception>
    /// <exception cref="CaptureDeviceException">A port cannot be opened.</exception>
    public static IFrameSource Create(CaptureOptions options, Pipeline.EffectiveFilter filter, TimeProvider time, ILogger log)
    {
        var ports = Ports(options);
        var kernelFilter = filter.Compiled;
        if (!CaptureOptions.Backends.Contains(options.Backend, StringComparer.OrdinalIgnoreCase))
        {
            throw new UserErrorException($"Capture:Backend must be one of {string.Join(", ", CaptureOptions.Backends)}, got '{options.Backend}'");
        }

        if (options.IsCollector)
        {
            return Collector(options, ports, log);
        }

        switch (options.BackendKind)
        {
            case CaptureBackend.Synthetic:
                if (ports.Count != 2)
                {
                    throw new UserErrorException($"Capture:Ports lists {ports.Count} ports; the simulated board has exactly two");
                }

                return new SyntheticFrameSource([ports[0].Name, ports[1].Name], options.SyntheticRate, seed: 1, time);
            case CaptureBackend.Replay:
                return new ReplayFrameSource(options.ReplayFile);
            case CaptureBackend.AfPacket:
                PortSetup.Prepare(options, ports, log);
                return new AfPacketFrameSource(ports.Select(p => (p.Name, p.Interface)).ToArray(), kernelFilter, options.RingMB);
            default:
                PortSetup.Prepare(options, ports, log);
                return new LibpcapFrameSource(ports.Select(p => (p.Name, p.Interface)).ToArray(), kernelFilter, options.RingMB);
        }
    }

    // Only mirror traffic to the collector's address reaches user space; the capture filter applies to what is inside.
    private static DecapsulatingFrameSource Collector(CaptureOptions options, IReadOnlyList<PortOptions> ports, ILogger log)
    {
        var collector = options.Collector!;
        var address = CollectorAddress.TryParse(collector.Address) ?? throw new UserErrorException($"Capture:Collector:Address '{collector.Address}' is not ADDRESS/PREFIX");
        PortOptions port;
        if (collector.OnManagementPort)
        {
            // The management port keeps the system's configuration: the collector only checks the address is there.
            port = new PortOptions { Name = CollectorOptions.ManagementPort, Interface = collector.Interface };
            CollectorAddress.RequireOn(collector.Interface, address.Address);
        }
        else
        {
            port = ports.First(p => p.Name == collector.Port);
            PortSetup.Prepare(options, [port], log);
        }

        var family = address.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? "ip" : "ip6";
        // A UDP fragment after the first has no port to match: every fragment to the collector is let through (IPv4's
        // are reassembled; IPv6's are counted).
        var fragments = family == "ip" ? "ip[6:2] & 0x1fff != 0" : "ip6 proto 44";
        var outer = $"{family} dst host {address.Address} and ({family} proto 47 or {fragments} or udp dst port {MirrorDecapsulator.VxlanPort} or udp dst port {MirrorDecapsulator.LinuxVxlanPort} or udp dst port {MirrorDecapsulator.GenevePort})";
        var sockets = new MirrorSockets(address.Address);
        try
        {
            var sessions = collector.Sessions.Select(s => MirrorSession.TryParse(s, out var session) ? session : throw new UserErrorException($"Capture:Collector:Sessions: '{s}' is not KIND-ID@SOURCE")).ToArray();
            var source = new DecapsulatingFrameSource(new AfPacketFrameSource([(port.Name, port.Interface)], outer, options.RingMB), sessions, sockets, collector.MaxSessions, TimeSpan.FromMilliseconds(collector.DedupWindowMs));
            var why = sessions.Length > 0 ? "in Capture:Collector:Sessions: add it to record it" : $"recorded: {collector.MaxSessions} sessions are recorded already (Capture:Collector:MaxSessions)";
            source.UnlistedSession += session => Log.UnlistedSession(log, session.Name, session.Description, why);
            source.SessionFound += (index, session) => Log.SessionFound(log, session.Name, session.Description, index);
            return source;
        }
        catch
        {
            sockets.Dispose();
            throw;
        }
    }
}
