namespace VirtCapture.Extcap;

/// <summary>
/// One line of Wireshark's interface list: a box, and on it all ports, one port (or mirror session), or one followed VM.
/// Its value is <c>vc-BOX</c>, <c>vc-BOX~PORT</c> or <c>vc-BOX~vm~MAC</c>.
/// </summary>
/// <param name="Box">The box's name.</param>
/// <param name="Port">A port or session name, or null for every port.</param>
/// <param name="Vm">A followed VM's MAC, or null.</param>
/// <param name="Display">What Wireshark shows.</param>
public sealed record ExtcapInterface(string Box, string? Port, string? Vm, string Display)
{
    private const string Prefix = "vc-";

    /// <summary>The value Wireshark passes back with --extcap-interface.</summary>
    public string Value => Prefix + Box + (Vm is not null ? "~vm~" + Vm : Port is not null ? "~" + Port : string.Empty);

    /// <summary>Reads a value; null when it is not one of ours.</summary>
    public static ExtcapInterface? Parse(string? value)
    {
        if (value is null || !value.StartsWith(Prefix, StringComparison.Ordinal) || value.Length == Prefix.Length)
        {
            return null;
        }

        var parts = value[Prefix.Length..].Split('~', 3);
        return parts switch
        {
            [var box] => new ExtcapInterface(box, null, null, box),
            [var box, "vm", var mac] => new ExtcapInterface(box, null, mac, box),
            [var box, var port] => new ExtcapInterface(box, port, null, box),
            _ => null,
        };
    }
}
