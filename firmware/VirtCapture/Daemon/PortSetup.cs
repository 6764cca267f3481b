using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using VirtCapture.Configuration;

namespace VirtCapture.Daemon;

/// <summary>
/// Prepares the capture ports before a live capture: they must exist, carry no address (and get no IPv6 link-local
/// one), be up and, in Inline mode, be bridged in the kernel so forwarding never depends on this process. An
/// existing bridge of both ports is used as it is; otherwise one is created (STP off, forward delay 0) and left in
/// place at exit.
/// </summary>
internal static class PortSetup
{
    private const string SysClassNet = "/sys/class/net";

    public static void Prepare(CaptureOptions options, IReadOnlyList<PortOptions> ports, ILogger log)
    {
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            if (!Directory.Exists(Path.Combine(SysClassNet, port.Interface)))
            {
                throw new PortSetupException($"Capture:Ports:{i}:Interface: port {port.Name}'s interface '{port.Interface}' does not exist");
            }

            // The collector's port is the one capture port that has an address: the one configured for it.
            RefuseAddresses($"port {port.Name} ({port.Interface})", port.Interface, options.AllowPortAddresses || (options.IsCollector && port.Name == options.Collector!.Port));
        }

        var inline = options.ModeKind == CaptureMode.Inline;
        if (inline)
        {
            var bridge = ExistingBridge(ports) ?? CreateBridge(options.BridgeName, ports, options.AllowPortAddresses, log);
            Ip("link", "set", bridge, "up");
            Log.PortsReady(log, "Inline", string.Join(", ", ports.Select(p => $"{p.Name}={p.Interface}")), bridge);
        }
        else
        {
            Log.PortsReady(log, "Monitor", string.Join(", ", ports.Select(p => $"{p.Name}={p.Interface}")), "none");
        }

        foreach (var port in ports)
        {
            Ip("link", "set", port.Interface, "up");
        }

        if (options.IsCollector && ports.FirstOrDefault(p => p.Name == options.Collector!.Port) is { } collector)
        {
            Ip("addr", "replace", options.Collector!.Address, "dev", collector.Interface);
        }

        // Give the links a moment to come up so the capture starts with the ports' real state; a port still down
        // after that is captured anyway and its link-up is recorded when it comes.
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (DateTime.UtcNow < deadline && !ports.All(p => OperState(p.Interface) == "up"))
        {
            Thread.Sleep(50);
        }
    }

    private static string? OperState(string iface)
    {
        try
        {
            return File.ReadAllText(Path.Combine(SysClassNet, iface, "operstate")).Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string? ExistingBridge(IReadOnlyList<PortOptions> ports)
    {
        var masters = ports.Select(p => Master(p.Interface)).Distinct().ToArray();
        return masters is [{ } only] && Directory.Exists(Path.Combine(SysClassNet, only, "bridge")) ? only : null;
    }

    private static string CreateBridge(string bridge, IReadOnlyList<PortOptions> ports, bool allowAddresses, ILogger log)
    {
        if (!Directory.Exists(Path.Combine(SysClassNet, bridge)))
        {
            Ip("link", "add", "name", bridge, "type", "bridge", "stp_state", "0", "forward_delay", "0");
            Log.BridgeCreated(log, bridge);
        }

        RefuseAddresses($"bridge {bridge}", bridge, allowAddresses);
        foreach (var port in ports)
        {
            Ip("link", "set", port.Interface, "master", bridge);
        }

        return bridge;
    }

    private static string? Master(string iface)
    {
        var link = new FileInfo(Path.Combine(SysClassNet, iface, "master"));
        return link.Exists || link.LinkTarget is not null ? Path.GetFileName(link.LinkTarget ?? link.FullName) : null;
    }

    private static void RefuseAddresses(string what, string iface, bool allow)
    {
        if (allow)
        {
            return;
        }

        using var json = JsonDocument.Parse(Ip("-j", "addr", "show", "dev", iface));
        foreach (var entry in json.RootElement.EnumerateArray())
        {
            if (!entry.TryGetProperty("addr_info", out var addresses))
            {
                continue;
            }

            foreach (var address in addresses.EnumerateArray())
            {
                var family = address.GetProperty("family").GetString();
                var scope = address.TryGetProperty("scope", out var s) ? s.GetString() : null;
                if (family == "inet6" && scope == "link")
                {
                    continue; // removed below with IPv6 itself
                }

                throw new PortSetupException($"{what} has the address {address.GetProperty("local").GetString()}/{address.GetProperty("prefixlen").GetInt32()}: capture ports must have no address (Capture:AllowPortAddresses=true overrides)");
            }
        }

        // No IPv6 means no link-local address, no router or neighbour solicitations: the port never transmits.
        var sysctl = $"/proc/sys/net/ipv6/conf/{iface}/disable_ipv6";
        if (File.Exists(sysctl))
        {
            File.WriteAllText(sysctl, "1");
        }
    }

    private static string Ip(params string[] args)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new PortSetupException($"'ip {string.Join(' ', args)}' failed: {error.Trim()}");
            }

            return output;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new PortSetupException("the ip command (iproute2) is needed to set up the capture ports: apt-get install iproute2", e);
        }
    }
}
