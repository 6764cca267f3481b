using System.Buffers.Binary;

namespace VirtCapture.Collector;

/// <summary>
/// Makes whole the outer IPv4 datagrams a sender fragmented (an ERSPAN copy of a full-size frame is larger than the
/// path's MTU). Bounded: at most <see cref="MaxDatagrams"/> in progress, each given up after <see cref="TimeoutNs"/>
/// of its frames' time, the oldest given up when a new one finds no room; every one given up is counted. Memory is
/// taken once per slot and reused: no allocation per fragment.
/// </summary>
internal sealed class OuterReassembler
{
    /// <summary>Datagrams reassembled at once.</summary>
    public const int MaxDatagrams = 64;

    /// <summary>How long a datagram waits for its missing fragments (frame time).</summary>
    public const long TimeoutNs = 2_000_000_000;

    private readonly Datagram?[] _slots = new Datagram?[MaxDatagrams];

    /// <summary>Datagrams made whole.</summary>
    public long Reassembled { get; private set; }

    /// <summary>Datagrams given up: timed out, pushed out by newer ones, or with fragments that do not fit.</summary>
    public long GivenUp { get; private set; }

    /// <summary>
    /// Takes one fragment (the whole frame, its IPv4 header at <paramref name="ipOffset"/>). When it completes its
    /// datagram, <paramref name="whole"/> is the frame as the sender meant it (link header, IPv4 header without
    /// fragmentation, the whole payload), valid until the next call.
    /// </summary>
    public bool TryAdd(ReadOnlySpan<byte> frame, int ipOffset, long arrivalNs, out ReadOnlySpan<byte> whole)
    {
        whole = default;
        Expire(arrivalNs);
        var ip = frame[ipOffset..];
        var headerLength = (ip[0] & 0x0F) * 4;
        var totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]);
        var offset = (flags & 0x1FFF) * 8;
        var last = (flags & 0x2000) == 0;
        var length = totalLength - headerLength;
        var key = new Key(BinaryPrimitives.ReadUInt32BigEndian(ip[12..]), BinaryPrimitives.ReadUInt32BigEndian(ip[16..]), BinaryPrimitives.ReadUInt16BigEndian(ip[4..]), ip[9]);
        var datagram = Find(key) ?? Start(key, arrivalNs);
        if (ip.Length < totalLength || length <= 0 || (!last && length % 8 != 0) || !datagram.Add(frame[..ipOffset], ip[..headerLength], ip.Slice(headerLength, length), offset, last))
        {
            // Cut by a snaplen, empty, misaligned, past 64 KiB or contradicting its other fragments: the datagram is lost.
            GivenUp++;
            datagram.InUse = false;
            return false;
        }

        if (!datagram.Complete)
        {
            return false;
        }

        Reassembled++;
        datagram.InUse = false;
        whole = datagram.Whole();
        return true;
    }

    /// <summary>Gives up the datagrams older than the timeout at <paramref name="nowNs"/> (frame time).</summary>
    public void Expire(long nowNs)
    {
        foreach (var slot in _slots)
        {
            if (slot is { InUse: true } && nowNs - slot.FirstNs > TimeoutNs)
            {
                slot.InUse = false;
                GivenUp++;
            }
        }
    }

    /// <summary>The input ended: no datagram still in progress will complete.</summary>
    public void GiveUpAll() => Expire(long.MaxValue);

    private Datagram? Find(Key key)
    {
        foreach (var slot in _slots)
        {
            if (slot is { InUse: true } && slot.Key == key)
            {
                return slot;
            }
        }

        return null;
    }

    private Datagram Start(Key key, long nowNs)
    {
        var free = -1;
        var oldest = 0;
        for (var i = 0; i < _slots.Length; i++)
        {
            var slot = _slots[i];
            if (slot is null || !slot.InUse)
            {
                free = i;
                break;
            }

            if (slot.FirstNs < _slots[oldest]!.FirstNs)
            {
                oldest = i;
            }
        }

        if (free < 0)
        {
            GivenUp++;
            free = oldest;
        }

        var datagram = _slots[free] ??= new Datagram();
        datagram.Reset(key, nowNs);
        return datagram;
    }

    private readonly record struct Key(uint Source, uint Destination, ushort Id, byte Protocol);

    // One datagram's fragments, placed where they belong; the headers are put in front of the payload at the end.
    private sealed class Datagram
    {
        private const int PayloadStart = 128;
        private const int MaxPayload = 65535 - 20;
        private readonly byte[] _buffer = new byte[PayloadStart + MaxPayload];
        private readonly ulong[] _units = new ulong[(MaxPayload / 8 / 64) + 1];
        private int _unitsSet;
        private int _total = -1;
        private int _headerLength;
        private int _linkLength;

        public Key Key { get; private set; }

        public long FirstNs { get; private set; }

        public bool InUse { get; set; }

        public bool Complete => _total >= 0 && _headerLength > 0 && _unitsSet == (_total + 7) / 8;

        public void Reset(Key key, long nowNs)
        {
            Key = key;
            FirstNs = nowNs;
            InUse = true;
            _unitsSet = 0;
            _total = -1;
            _headerLength = 0;
            Array.Clear(_units);
        }

        public bool Add(ReadOnlySpan<byte> link, ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload, int offset, bool last)
        {
            var end = offset + payload.Length;
            if (end > MaxPayload || (_total >= 0 && end > _total) || (last && _total >= 0 && end != _total) || (last && _unitsSet > 0 && !FitsBelow(end)))
            {
                return false;
            }

            if (last)
            {
                _total = end;
            }

            if (offset == 0)
            {
                // The first fragment's headers become the whole datagram's, put just before the payload.
                if (link.Length + header.Length > PayloadStart)
                {
                    return false;
                }

                _linkLength = link.Length;
                _headerLength = header.Length;
                header.CopyTo(_buffer.AsSpan(PayloadStart - header.Length));
                link.CopyTo(_buffer.AsSpan(PayloadStart - header.Length - link.Length));
            }

            payload.CopyTo(_buffer.AsSpan(PayloadStart + offset));
            for (var unit = offset / 8; unit < (end + 7) / 8; unit++)
            {
                ref var word = ref _units[unit >> 6];
                var bit = 1UL << (unit & 63);
                if ((word & bit) == 0)
                {
                    word |= bit;
                    _unitsSet++;
                }
            }

            return true;
        }

        public ReadOnlySpan<byte> Whole()
        {
            var ip = _buffer.AsSpan(PayloadStart - _headerLength);
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(_headerLength + _total));
            BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0);
            return _buffer.AsSpan(PayloadStart - _headerLength - _linkLength, _linkLength + _headerLength + _total);
        }

        // A last fragment must not end before data already received.
        private bool FitsBelow(int end)
        {
            for (var unit = (end + 7) / 8; unit < _units.Length * 64; unit++)
            {
                if ((_units[unit >> 6] & (1UL << (unit & 63))) != 0)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
