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
        if (!EthernetView.TryRead(frame, bytes, out var eth))
        {
            return null;
        }

        var kind = Announcement.Detect(eth);
        return kind == AnnouncementKind.None
            ? null
            : System.Text.Encoding.UTF8.GetBytes(Announcement.Comment(kind, eth.Source, _families.Of(eth.Source), port.Name, eth.Vlan));
    }
}
