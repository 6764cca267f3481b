using System.Net;

namespace VirtCapture.Collector;

/// <summary>The collector's address and prefix length ("192.0.2.10/24"), as <c>ip addr</c> takes it.</summary>
/// <param name="Address">The address.</param>
/// <param name="PrefixLength">The prefix length.</param>
internal sealed record CollectorAddress(IPAddress Address, int PrefixLength)
{
    /// <summary>Reads "ADDRESS/PREFIX", or null.</summary>
    public static CollectorAddress? TryParse(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(text.AsSpan(0, slash), out var address)
            || !int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var prefix))
        {
            return null;
        }

        var max = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        return prefix is >= 1 && prefix <= max ? new CollectorAddress(address, prefix) : null;
    }

    /// <summary>
    /// The management port as a collector: its addresses are the system's, so the configured one must be on it already.
    /// </summary>
    /// <exception cref="UserErrorException">No such interface, or it does not have <paramref name="address"/>.</exception>
    public static void RequireOn(string interfaceName, IPAddress address)
    {
        var all = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces();
        var nic = all.FirstOrDefault(n => n.Name == interfaceName)
            ?? throw new UserErrorException($"Capture:Collector:Interface '{interfaceName}' does not exist here (interfaces: {string.Join(", ", all.Select(n => n.Name))})");
        var addresses = nic.GetIPProperties().UnicastAddresses.Select(a => a.Address).ToArray();
        if (!addresses.Contains(address))
        {
            throw new UserErrorException($"Capture:Collector:Address {address} is not on the management port {interfaceName} (it has {(addresses.Length == 0 ? "none" : string.Join(", ", addresses.Select(a => a.ToString())))}): the box does not change the management port's addresses, give one it has");
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Address}/{PrefixLength}";
}
