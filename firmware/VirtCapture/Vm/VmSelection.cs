using VirtCapture.Hal.Frames;

namespace VirtCapture.Vm;

/// <summary>
/// <c>Capture:Vms</c>: the VMs to capture, each a MAC with an optional VLAN ("00:50:56:9a:10:01" or
/// "00:50:56:9a:10:01@20"). The MACs go into the kernel filter (so other VMs' frames never reach user space); a VLAN,
/// where given, is checked on the frame afterwards, because libpcap's <c>vlan</c> keyword shifts the offsets of
/// everything after it and cannot be combined safely for several VLANs.
/// </summary>
internal sealed class VmSelection : Pipeline.IFrameCheck
{
    private readonly (ulong Mac, int Vlan)[] _vms;

    private VmSelection((ulong Mac, int Vlan, string Text)[] vms)
    {
        _vms = vms.Select(v => (v.Mac, v.Vlan)).ToArray();
        Macs = vms.Select(v => v.Text).ToArray();
        HasVlans = vms.Any(v => v.Vlan > 0);
        Entries = vms.Select(v => (v.Text, v.Vlan)).ToArray();
    }

    /// <summary>The MACs, as text.</summary>
    public IReadOnlyList<string> Macs { get; }

    /// <summary>Whether any VM is restricted to a VLAN.</summary>
    public bool HasVlans { get; }

    private (string Mac, int Vlan)[] Entries { get; }

    /// <summary>Parses the list; null for an empty one.</summary>
    /// <exception cref="UserErrorException">An entry is not MAC[@VLAN]; the message names it.</exception>
    public static VmSelection? Parse(IReadOnlyList<string>? vms, string key = "Capture:Vms")
    {
        if (vms is null || vms.Count == 0)
        {
            return null;
        }

        var parsed = new List<(ulong, int, string)>();
        foreach (var vm in vms)
        {
            var parts = vm.Trim().Split('@');
            var vlan = 0;
            if (parts.Length > 2 || !Mac.TryParse(parts[0], out var mac)
                || (parts.Length == 2 && (!int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out vlan) || vlan is < 1 or > 4094)))
            {
                throw new UserErrorException($"{key}: '{vm}' is not a VM: expected a MAC address, optionally with @VLAN (00:50:56:9a:10:01@20)");
            }

            parsed.Add((Mac.Key(mac), vlan, Mac.Format(mac)));
        }

        return new VmSelection([.. parsed]);
    }

    /// <summary>
    /// The capture's one filter value: the user's filter narrowed to the VMs of <paramref name="vms"/> (MACs in the
    /// compiled filter, VLANs checked after it), or the user's filter alone when no VM is selected.
    /// </summary>
    /// <exception cref="UserErrorException">An entry is not MAC[@VLAN]; the message names <paramref name="key"/>.</exception>
    public static Pipeline.EffectiveFilter Filter(string? user, IReadOnlyList<string>? vms, string key = "Capture:Vms")
    {
        var plain = Pipeline.EffectiveFilter.Plain(user);
        return Parse(vms, key) is { } selection
            ? plain with { Compiled = selection.KernelFilter(plain.User), Recorded = selection.EquivalentFilter(plain.User), Check = selection.HasVlans ? selection : null }
            : plain;
    }

    /// <summary>The filter the kernel runs: the user's filter and the VMs' MACs.</summary>
    public string KernelFilter(string userFilter)
    {
        var macs = string.Join(" or ", Macs.Distinct().Select(m => $"ether host {m}"));
        return string.IsNullOrWhiteSpace(userFilter) ? macs : $"({userFilter}) and ({macs})";
    }

    /// <summary>The whole selection in libpcap's words, written into the files' interface descriptions.</summary>
    public string EquivalentFilter(string userFilter)
    {
        var vms = string.Join(" or ", Entries.OrderBy(e => e.Vlan).Select(e => e.Vlan > 0 ? $"(ether host {e.Mac} and vlan {e.Vlan})" : $"ether host {e.Mac}"));
        return string.IsNullOrWhiteSpace(userFilter) ? vms : $"({userFilter}) and ({vms})";
    }

    /// <summary>After the kernel: a frame of a VM restricted to a VLAN must be on that VLAN.</summary>
    public bool Accepts(in FrameRecord record, ReadOnlySpan<byte> frame)
    {
        if (!HasVlans || !EthernetView.TryRead(record, frame, out var eth))
        {
            return true;
        }

        var source = Mac.Key(eth.Source);
        var destination = Mac.Key(eth.Destination);
        foreach (var (mac, vlan) in _vms)
        {
            if ((mac == source || mac == destination) && (vlan == 0 || vlan == eth.Vlan))
            {
                return true;
            }
        }

        return false;
    }
}
