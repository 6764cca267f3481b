using System.Buffers.Binary;
using VirtCapture.Hal.Frames;
using VirtCapture.Pipeline;

namespace VirtCapture.Vm;

/// <summary>
/// Marks the frame with which a VM announces itself (RARP, gratuitous ARP, unsolicited neighbour advertisement) with
/// a comment saying so, on the capture thread, so that the comment sits on the announcing frame itself.
/// </summary>
internal sealed class AnnouncementAnnotator : IFrameAnnotator
{
    private readonly HypervisorFamilies _families;

    public AnnouncementAnnotator(HypervisorFamilies families)
    {
        _families = families;
    }

    public byte[]? Annotate(in FrameRecord frame, ReadOnlySpan<byte> bytes, CapturePort port)
    {
        // Nearly every frame is neither ARP, RARP nor IPv6: one look at its type settles it before any decoding.
        if (bytes.Length < 14 || !MayAnnounce(BinaryPrimitives.ReadUInt16BigEndian(bytes[12..]), frame.VlanTpid != 0, bytes))
        {
            return null;
        }

        if (!EthernetView.TryRead(frame, bytes, out var eth))
        {
            return null;
        }

        var kind = Announcement.Detect(eth);
        return kind == AnnouncementKind.None
            ? null
            : System.Text.Encoding.UTF8.GetBytes(Announcement.Comment(kind, eth.Source, _families.Of(eth.Source), port.Name, eth.Vlan));
    }

    private static bool MayAnnounce(ushort type, bool tagStripped, ReadOnlySpan<byte> bytes) => type switch
    {
        0x0806 or 0x8035 or 0x86dd => true,
        0x8100 or 0x88a8 when !tagStripped && bytes.Length >= 18 => BinaryPrimitives.ReadUInt16BigEndian(bytes[16..]) is 0x0806 or 0x8035 or 0x86dd,
        _ => false,
    };
}
