using System.Runtime.InteropServices;

namespace VirtCapture.Hal.Frames;

/// <summary>
/// Describes one frame inside a <see cref="FrameBatch"/>. A plain struct so that a batch is an array of these over
/// the source's own memory (a file chunk, a memory-mapped ring block): no per-frame object.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct FrameRecord
{
    /// <summary>Capture time in nanoseconds since the Unix epoch.</summary>
    public long TimestampNs;

    /// <summary>Offset of the frame's first byte in <see cref="FrameBatch.Data"/>.</summary>
    public int Offset;

    /// <summary>Bytes of the frame present in <see cref="FrameBatch.Data"/>.</summary>
    public int CapturedLength;

    /// <summary>Length of the frame on the wire (at least <see cref="CapturedLength"/>).</summary>
    public int WireLength;

    /// <summary>Index of the port (pcapng interface id) in <see cref="IFrameSource.Ports"/>.</summary>
    public ushort Port;

    /// <summary>
    /// Outer VLAN tag that the kernel stripped from the frame (AF_PACKET's tp_vlan_tci), or 0 when
    /// <see cref="VlanTpid"/> is 0. The recorder puts it back after the MAC addresses.
    /// </summary>
    public ushort VlanTci;

    /// <summary>TPID of the stripped tag (0x8100 or 0x88a8); 0 when no tag was stripped.</summary>
    public ushort VlanTpid;

    /// <summary>Direction relative to the port.</summary>
    public FrameDirection Direction;

    /// <summary>Length the frame will have once a stripped VLAN tag is put back.</summary>
    public readonly int RestoredLength => VlanTpid == 0 ? CapturedLength : CapturedLength + 4;
}
