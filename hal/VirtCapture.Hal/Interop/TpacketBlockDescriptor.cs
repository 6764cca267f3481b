using System.Runtime.InteropServices;

namespace VirtCapture.Hal.Interop;

/// <summary>
/// <c>struct tpacket_block_desc</c> with its <c>tpacket_hdr_v1</c> (include/uapi/linux/if_packet.h): the head of each
/// TPACKET_V3 block. <see cref="BlockStatus"/> is shared with the kernel and only read and written with barriers.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TpacketBlockDescriptor
{
    /// <summary>TP_STATUS_USER: the block belongs to user space until it is written back to 0.</summary>
    public const uint StatusUser = 1;

    /// <summary>Descriptor version.</summary>
    public uint Version;

    /// <summary>Offset of the private area.</summary>
    public uint OffsetToPrivate;

    /// <summary>TP_STATUS_KERNEL (0) or TP_STATUS_USER with flags.</summary>
    public uint BlockStatus;

    /// <summary>Frames in the block.</summary>
    public uint PacketCount;

    /// <summary>Offset of the first frame's <see cref="Tpacket3Header"/> from the block's start.</summary>
    public uint OffsetToFirstPacket;

    /// <summary>Bytes used in the block.</summary>
    public uint BlockLength;

    /// <summary>Sequence number of the block.</summary>
    public ulong SequenceNumber;
}
