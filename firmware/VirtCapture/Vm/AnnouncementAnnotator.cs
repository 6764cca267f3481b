using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using VirtCapture.Hal.Frames;
using VirtCapture.Pipeline;

namespace VirtCapture.Vm;

/// <summary>
/// Capture thread: gives a VM announcement (RARP, gratuitous ARP, unsolicited neighbour advertisement) a pcapng
/// comment naming the VM, so the event sits in the file beside the frame that announced it.
/// </summary>
internal sealed class AnnouncementAnnotator : IFrameAnnotator
{
    // A VM announces itself again and again (every failover, every migration, a host's periodic gratuitous ARPs):
    // its comment is made once and kept, so the capture thread does not allocate for it each time.
    private const int MaxRemembered = 4096;
    private readonly Dictionary<(ulong Mac, int Vlan, int Port, AnnouncementKind Kind), byte[]> _comments = [];
    private readonly HypervisorFamilies _families;

    /// <summary>Creates the annotator.</summary>
    public AnnouncementAnnotator(HypervisorFamilies families)
    {
        _families = families;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Annotate(in FrameBatch batch, IReadOnlyList<CapturePort> ports, FrameComments comments)
    {
        var frames = batch.Frames;
        var data = batch.Data;
        for (var i = 0; i < frames.Length; i++)
        {
            ref readonly var frame = ref frames[i];
            // Nearly every frame is neither ARP, RARP nor IPv6: one look at its type settles it before any decoding.
            if (frame.CapturedLength < 14 || (uint)(frame.Offset + frame.CapturedLength) > (uint)data.Length)
            {
                continue;
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(frame.Offset + 12, 2));
            if (type is not (0x0806 or 0x8035 or 0x86dd or 0x8100 or 0x88a8) || !MayAnnounce(type, frame.VlanTpid != 0, batch.Bytes(frame)))
            {
                continue;
            }

            if (Comment(frame, batch.Bytes(frame), ports[frame.Port]) is { } comment)
            {
                comments.Add(i, comment);
            }
        }
    }

    private byte[]? Comment(in FrameRecord frame, ReadOnlySpan<byte> bytes, CapturePort port)
    {
        if (!EthernetView.TryRead(frame, bytes, out var eth))
        {
            return null;
        }

        var kind = Announcement.Detect(eth);
        if (kind == AnnouncementKind.None)
        {
            return null;
        }

        var key = (Mac.Key(eth.Source), eth.Vlan, (int)frame.Port, kind);
        if (!_comments.TryGetValue(key, out var comment))
        {
            if (_comments.Count >= MaxRemembered)
            {
                _comments.Clear();
            }

            comment = System.Text.Encoding.UTF8.GetBytes(Announcement.Comment(kind, eth.Source, _families.Of(eth.Source), port.Name, eth.Vlan));
            _comments[key] = comment;
        }

        return comment;
    }

    private static bool MayAnnounce(ushort type, bool tagStripped, ReadOnlySpan<byte> bytes) => type switch
    {
        0x0806 or 0x8035 or 0x86dd => true,
        0x8100 or 0x88a8 when !tagStripped && bytes.Length >= 18 => BinaryPrimitives.ReadUInt16BigEndian(bytes[16..]) is 0x0806 or 0x8035 or 0x86dd,
        _ => false,
    };
}
