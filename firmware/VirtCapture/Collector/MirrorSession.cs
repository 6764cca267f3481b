using System.Buffers.Binary;
using System.Net;

namespace VirtCapture.Collector;

/// <summary>
/// One mirror session: who sends it (the outer source address), how (the encapsulation) and which (ERSPAN session ID,
/// VNI, GRE key). Each session becomes its own pcapng interface.
/// </summary>
/// <param name="Source">The outer source address (IPv4 as IPv4-mapped IPv6).</param>
/// <param name="Encapsulation">The encapsulation.</param>
/// <param name="Id">ERSPAN session ID, VNI or GRE key; 0 for ERSPAN I and keyless GRE.</param>
internal readonly record struct MirrorSession(UInt128 Source, MirrorEncapsulation Encapsulation, uint Id)
{
    /// <summary>The session of a decoded packet.</summary>
    public static MirrorSession Of(in MirrorPacket packet) => new(packet.Source, packet.Encapsulation, packet.SessionId);

    /// <summary>The source of a session taken from any sender ("@any"): it follows a VM whose mirror moves between hosts.</summary>
    public const ulong AnySource = 0;

    /// <summary>True when the session is taken from any sender.</summary>
    public bool FromAnySource => Source == AnySource;

    /// <summary>This session with its sender left open.</summary>
    public MirrorSession WithAnySource() => this with { Source = AnySource };

    /// <summary>Reads "KIND-ID@SOURCE" (the <see cref="Name"/> form), e.g. "vxlan-5001@10.0.0.8"; "@any" takes any sender.</summary>
    public static bool TryParse(string text, out MirrorSession session)
    {
        session = default;
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var any = at >= 0 && text.AsSpan(at + 1).Equals("any", StringComparison.OrdinalIgnoreCase);
        IPAddress? address = null;
        if (at < 0 || dash < 0 || dash > at || (!any && !IPAddress.TryParse(text.AsSpan(at + 1), out address))
            || !uint.TryParse(text.AsSpan(dash + 1, at - dash - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        MirrorEncapsulation? kind = text[..dash].ToUpperInvariant() switch
        {
            "ERSPAN1" => MirrorEncapsulation.ErspanI,
            "ERSPAN2" => MirrorEncapsulation.ErspanII,
            "ERSPAN3" => MirrorEncapsulation.ErspanIII,
            "GRE" => MirrorEncapsulation.GreEthernet,
            "VXLAN" => MirrorEncapsulation.Vxlan,
            "GENEVE" => MirrorEncapsulation.Geneve,
            _ => null,
        };
        if (kind is null)
        {
            return false;
        }

        if (address is null)
        {
            session = new MirrorSession(AnySource, kind.Value, id);
            return true;
        }

        Span<byte> bytes = stackalloc byte[16];
        (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? address.MapToIPv6() : address).TryWriteBytes(bytes, out _);
        session = new MirrorSession(BinaryPrimitives.ReadUInt128BigEndian(bytes), kind.Value, id);
        return true;
    }

    /// <summary>The outer source as an address.</summary>
    public IPAddress Address
    {
        get
        {
            Span<byte> bytes = stackalloc byte[16];
            BinaryPrimitives.WriteUInt128BigEndian(bytes, Source);
            var address = new IPAddress(bytes);
            return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        }
    }

    /// <summary>The interface name: short, no spaces ("erspan3-12@10.0.0.5").</summary>
    public string Name => $"{Encapsulation switch
    {
        MirrorEncapsulation.ErspanI => "erspan1",
        MirrorEncapsulation.ErspanII => "erspan2",
        MirrorEncapsulation.ErspanIII => "erspan3",
        MirrorEncapsulation.GreEthernet => "gre",
        MirrorEncapsulation.Vxlan => "vxlan",
        _ => "geneve",
    }}-{Id}@{(FromAnySource ? "any" : Address.ToString())}";

    /// <summary>The interface description ("ERSPAN III session 12 from 10.0.0.5").</summary>
    public string Description => FromAnySource ? $"{Kind} from any sender" : $"{Kind} from {Address}";

    /// <summary>The encapsulation and ID ("ERSPAN III session 12").</summary>
    public string Kind => Encapsulation switch
    {
        MirrorEncapsulation.ErspanI => "ERSPAN I",
        MirrorEncapsulation.ErspanII => $"ERSPAN II session {Id}",
        MirrorEncapsulation.ErspanIII => $"ERSPAN III session {Id}",
        MirrorEncapsulation.GreEthernet => Id == 0 ? "GRE (Ethernet)" : $"GRE (Ethernet) key {Id}",
        MirrorEncapsulation.Vxlan => $"VXLAN VNI {Id}",
        _ => $"Geneve VNI {Id}",
    };
}
