using System.Buffers.Binary;
using System.IO.Hashing;

namespace VirtCapture.Collector;

/// <summary>
/// Recognizes a mirrored frame seen a moment ago: a session that mirrors both directions of two VMs on one host sends
/// each frame between them twice, once leaving one VM and once reaching the other (a hop later: TTL or hop limit and
/// IPv4 checksum differ, so they are left out of the comparison). Keyed on the session's encapsulation and ID (VNI,
/// ERSPAN session) with the frame, so the same bytes in two VNIs are two frames. A fixed table of recent frames: a
/// frame pushed out early is kept (a duplicate missed), never a new frame taken for a duplicate.
/// </summary>
internal sealed class DuplicateWindow
{
    private const int Slots = 1 << 14;
    private readonly ulong[] _hashes = new ulong[Slots];
    private readonly long[] _times = new long[Slots];
    private readonly long _windowNs;
    private readonly XxHash3 _hash = new();

    /// <summary>A window of <paramref name="windowNs"/> of frame time.</summary>
    public DuplicateWindow(long windowNs)
    {
        _windowNs = windowNs;
    }

    /// <summary>True when the same frame of the same session came within the window before <paramref name="timeNs"/>.</summary>
    public bool IsDuplicate(ReadOnlySpan<byte> frame, MirrorEncapsulation encapsulation, uint sessionId, long timeNs)
    {
        var hash = Hash(frame, encapsulation, sessionId);
        var slot = (int)(hash & (Slots - 1));
        var seen = _times[slot];
        if (_hashes[slot] == hash && timeNs >= seen && timeNs - seen <= _windowNs)
        {
            // The first copy's time stays: a stream of identical frames further apart than the window is not merged.
            return true;
        }

        _hashes[slot] = hash;
        _times[slot] = timeNs;
        return false;
    }

    private ulong Hash(ReadOnlySpan<byte> frame, MirrorEncapsulation encapsulation, uint sessionId)
    {
        Span<byte> key = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(key, (uint)encapsulation);
        BinaryPrimitives.WriteUInt32LittleEndian(key[4..], sessionId);
        _hash.Reset();
        _hash.Append(key);
        var ip = IpOffset(frame, out var version);
        if (version == 4 && frame.Length >= ip + 20)
        {
            _hash.Append(frame[..(ip + 8)]);
            _hash.Append(frame.Slice(ip + 9, 1));
            _hash.Append(frame[(ip + 12)..]);
        }
        else if (version == 6 && frame.Length >= ip + 40)
        {
            _hash.Append(frame[..(ip + 7)]);
            _hash.Append(frame[(ip + 8)..]);
        }
        else
        {
            _hash.Append(frame);
        }

        return _hash.GetCurrentHashAsUInt64();
    }

    // Past up to two VLAN tags; version 0 when the frame carries neither IPv4 nor IPv6.
    private static int IpOffset(ReadOnlySpan<byte> frame, out int version)
    {
        version = 0;
        var at = 12;
        for (var tags = 0; tags <= 2 && frame.Length >= at + 2; tags++)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(frame[at..]);
            if (type is 0x8100 or 0x88a8)
            {
                at += 4;
                continue;
            }

            version = type switch { 0x0800 => 4, 0x86DD => 6, _ => 0 };
            return at + 2;
        }

        return 0;
    }
}
