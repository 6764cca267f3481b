using System.Buffers.Binary;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Vm;

/// <summary>The Ethernet header of a frame read in place: MACs, the outer VLAN (in the frame or stripped by the kernel), the ethertype.</summary>
internal readonly ref struct EthernetView
{
    private EthernetView(ReadOnlySpan<byte> frame, int vlan, ushort etherType, int payload)
    {
        Frame = frame;
        Vlan = vlan;
        EtherType = etherType;
        PayloadOffset = payload;
    }

    public ReadOnlySpan<byte> Frame { get; }

    public ReadOnlySpan<byte> Destination => Frame[..6];

    public ReadOnlySpan<byte> Source => Frame.Slice(6, 6);

    /// <summary>VLAN id, or 0 for untagged.</summary>
    public int Vlan { get; }

    public ushort EtherType { get; }

    public int PayloadOffset { get; }

    public ReadOnlySpan<byte> Payload => Frame[PayloadOffset..];

    public static bool TryRead(in FrameRecord record, ReadOnlySpan<byte> frame, out EthernetView view)
    {
        view = default;
        if (frame.Length < 14)
        {
            return false;
        }

        var type = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        if (record.VlanTpid != 0)
        {
            view = new EthernetView(frame, record.VlanTci & 0xfff, type, 14);
            return true;
        }

        if (type is 0x8100 or 0x88a8 && frame.Length >= 18)
        {
            view = new EthernetView(frame, BinaryPrimitives.ReadUInt16BigEndian(frame[14..]) & 0xfff, BinaryPrimitives.ReadUInt16BigEndian(frame[16..]), 18);
            return true;
        }

        view = new EthernetView(frame, 0, type, 14);
        return true;
    }
}
