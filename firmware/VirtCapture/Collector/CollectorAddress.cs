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

    /// <inheritdoc/>
    public override string ToString() => $"{Address}/{PrefixLength}";
}
