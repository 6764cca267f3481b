using System.Buffers.Binary;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Vm;

/// <summary>
/// Recognizes the frames a VM sends when it arrives somewhere (RARP, gratuitous ARP, unsolicited neighbour
/// advertisement). Cheap enough for the capture thread: a few byte compares for every other frame.
/// </summary>
internal static class Announcement
{
    public static AnnouncementKind Detect(in FrameRecord record, ReadOnlySpan<byte> frame) =>
        EthernetView.TryRead(record, frame, out var eth) ? Detect(eth) : AnnouncementKind.None;

    /// <summary>The same, over an Ethernet header already read.</summary>
    public static AnnouncementKind Detect(in EthernetView eth)
    {
        var p = eth.Payload;
        switch (eth.EtherType)
        {
            case 0x8035:
                return AnnouncementKind.Rarp;
            case 0x0806 when p.Length >= 28 && BinaryPrimitives.ReadUInt16BigEndian(p[2..]) == 0x0800:
                // Gratuitous: the sender announces its own address (sender and target protocol address equal).
                return p.Slice(14, 4).SequenceEqual(p.Slice(24, 4)) ? AnnouncementKind.GratuitousArp : AnnouncementKind.None;
            case 0x86dd when p.Length >= 48 && p[6] == 58 && p[40] == 136 && (p[44] & 0x40) == 0:
                return AnnouncementKind.UnsolicitedNeighborAdvertisement;
            default:
                return AnnouncementKind.None;
        }
    }

    public static string Describe(AnnouncementKind kind) => kind switch
    {
        AnnouncementKind.Rarp => "RARP",
        AnnouncementKind.GratuitousArp => "gratuitous ARP",
        AnnouncementKind.UnsolicitedNeighborAdvertisement => "unsolicited neighbour advertisement",
        _ => "none",
    };

    /// <summary>The comment written on the announcing frame itself.</summary>
    public static string Comment(AnnouncementKind kind, ReadOnlySpan<byte> mac, string family, string port, int vlan) =>
        $"VM {Mac.Format(mac)} ({family}) announced on port {port}{(vlan > 0 ? $", VLAN {vlan}" : string.Empty)} ({Describe(kind)})";
}
