using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VirtCapture.Hal.Interop;

/// <summary>
/// <c>struct tpacket3_hdr</c> (include/uapi/linux/if_packet.h): the header the kernel writes before each frame in a
/// TPACKET_V3 block. Read in place from the mapped ring; never copied.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Tpacket3Header
{
    /// <summary>TP_STATUS_VLAN_VALID: the kernel stripped the outer VLAN tag into <see cref="VlanTci"/>.</summary>
    public const uint StatusVlanValid = 0x10;

    /// <summary>TP_STATUS_VLAN_TPID_VALID: <see cref="VlanTpid"/> says which TPID the stripped tag had.</summary>
    public const uint StatusVlanTpidValid = 0x40;

    /// <summary>Bytes from this header to the next frame's in the same block.</summary>
    public uint NextOffset;

    /// <summary>Timestamp, seconds.</summary>
    public uint Seconds;

    /// <summary>Timestamp, nanoseconds.</summary>
    public uint Nanoseconds;

    /// <summary>Bytes captured.</summary>
    public uint CapturedLength;

    /// <summary>Bytes on the wire.</summary>
    public uint WireLength;

    /// <summary>TP_STATUS_* bits of this frame.</summary>
    public uint Status;

    /// <summary>Offset of the link-layer header from this header.</summary>
    public ushort MacOffset;

    /// <summary>Offset of the network header from this header.</summary>
    public ushort NetOffset;

    /// <summary>Receive hash (tpacket_hdr_variant1).</summary>
    public uint RxHash;

    /// <summary>The stripped VLAN tag control information.</summary>
    public uint VlanTci;

    /// <summary>The stripped tag's TPID.</summary>
    public ushort VlanTpid;

    /// <summary>Padding in the kernel's struct.</summary>
    public ushort Padding;

    /// <summary>The frame's timestamp in nanoseconds since the epoch.</summary>
    // Read per frame inside loops the AOT compiler already inlined into (its budget spent, it called this; make profile-live).
    public readonly long TimestampNs
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (Seconds * 1_000_000_000L) + Nanoseconds;
    }
}
