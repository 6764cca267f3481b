using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Pipeline;

/// <summary>
/// Stage 3 of the data path (frame source → filter → <b>slicer</b> → buffer → pcapng writer → ring files): cuts
/// each frame to the snaplen while it is copied into the buffer, and puts back a VLAN tag the kernel stripped.
/// The wire length is kept, so readers show how much was cut.
/// </summary>
public sealed class Slicer
{
    /// <summary>The largest snaplen accepted (libpcap's own ceiling).</summary>
    public const int MaxSnaplen = 262144;

    /// <summary>The smallest: an Ethernet header.</summary>
    public const int MinSnaplen = 14;

    /// <summary>The one check of a snaplen: null when valid, else the reason, naming <paramref name="key"/>.</summary>
    public static string? Problem(int? snaplen, string key) =>
        snaplen is null or (>= MinSnaplen and <= MaxSnaplen) ? null : $"{key} must be between {MinSnaplen} and {MaxSnaplen}, got {snaplen}";

    /// <summary>Creates a slicer.</summary>
    public Slicer(int snaplen)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(snaplen, MinSnaplen);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(snaplen, MaxSnaplen);
        Snaplen = snaplen;
    }

    /// <summary>Bytes kept of each frame.</summary>
    public int Snaplen { get; }

    /// <summary>Length the recorded frame will have.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int SlicedLength(in FrameRecord frame) => Math.Min(frame.RestoredLength, Snaplen);

    /// <summary>Wire length as recorded (a restored VLAN tag counts).</summary>
    public static int RecordedWireLength(in FrameRecord frame) => frame.VlanTpid == 0 ? frame.WireLength : frame.WireLength + 4;

    /// <summary>Copies the sliced frame into <paramref name="destination"/> (exactly <see cref="SlicedLength"/> bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(in FrameRecord frame, ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        if (frame.VlanTpid == 0)
        {
            CopySmall(bytes[..destination.Length], destination);
            return;
        }

        CopyRestoringTag(frame, bytes, destination);
    }

    // A frame of 16 to 64 bytes (a flood's, a sliced header's) is copied in line, 16 bytes at a time, the last piece
    // ending at the end (overlapping the one before): the call to the general copy cost more than the copy (make
    // profile-live). 128-bit vectors only: the shipped builds (x64 AOT, arm64) have no wider ones.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopySmall(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var n = (uint)source.Length;
        if (n - 16 <= 48 && Vector128.IsHardwareAccelerated && (uint)destination.Length >= n)
        {
            ref var s = ref MemoryMarshal.GetReference(source);
            ref var d = ref MemoryMarshal.GetReference(destination);
            for (nuint at = 0; at + 16 < n; at += 16)
            {
                Vector128.LoadUnsafe(ref s, at).StoreUnsafe(ref d, at);
            }

            Vector128.LoadUnsafe(ref s, n - 16).StoreUnsafe(ref d, n - 16);
            return;
        }

        source.CopyTo(destination);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyRestoringTag(in FrameRecord frame, ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        // The recorded frame is MACs, the restored 802.1Q/802.1ad tag, then the rest, cut wherever the snaplen ends.
        Span<byte> tag = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(tag, frame.VlanTpid);
        BinaryPrimitives.WriteUInt16BigEndian(tag[2..], frame.VlanTci);
        var macs = Math.Min(12, Math.Min(bytes.Length, destination.Length));
        bytes[..macs].CopyTo(destination);
        var rest = destination[macs..];
        var tagBytes = Math.Min(4, rest.Length);
        tag[..tagBytes].CopyTo(rest);
        rest = rest[tagBytes..];
        bytes.Slice(macs, rest.Length).CopyTo(rest);
    }
}
