namespace VirtCapture.Vm;

/// <summary>The hypervisor a MAC address prefix (OUI) belongs to; extensible by configuration (<c>Vm:Ouis</c>).</summary>
internal sealed class HypervisorFamilies
{
    /// <summary>The family of MACs that match no prefix.</summary>
    public const string Unknown = "physical or unknown";

    private static readonly Dictionary<uint, string> Defaults = new()
    {
        [0x005056] = "VMware",
        [0x000C29] = "VMware",
        [0x000569] = "VMware",
        [0x001C14] = "VMware",
        [0x00155D] = "Hyper-V",
        [0x00163E] = "Xen",
        [0x525400] = "QEMU/KVM",
        [0x080027] = "VirtualBox",
        [0xBC2411] = "Proxmox",
    };

    private readonly Dictionary<uint, string> _table;

    public HypervisorFamilies(IReadOnlyDictionary<string, string>? extra = null)
    {
        _table = new Dictionary<uint, string>(Defaults);
        foreach (var (prefix, family) in extra ?? new Dictionary<string, string>())
        {
            var hex = prefix.Replace(":", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
            if (hex.Length != 6 || !uint.TryParse(hex, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var oui))
            {
                throw new UserErrorException($"Vm:Ouis: '{prefix}' is not a MAC prefix like 00:50:56");
            }

            _table[oui] = family;
        }
    }

    /// <summary>The default table.</summary>
    public static HypervisorFamilies Default { get; } = new();

    public string Of(ReadOnlySpan<byte> mac) =>
        _table.TryGetValue(((uint)mac[0] << 16) | ((uint)mac[1] << 8) | mac[2], out var family) ? family : Unknown;
}
