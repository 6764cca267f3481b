using System.Buffers.Binary;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Vm;

/// <summary>
/// Every source MAC seen, per port and VLAN: family, addresses learned from ARP, ND and IP, first and last seen,
/// frames and bytes each way, rate; and the events (announcements, failovers, departures). The same code serves the
/// running box and <c>virtcapture inventory</c>. Not thread-safe: one observer feeds it.
/// </summary>
internal sealed class VmInventory : Pipeline.IBlockObserver
{
    /// <summary>
    /// MACs (per port and VLAN) the inventory holds: a flood of random source MACs must not grow it without end. Past
    /// it a new MAC's frames are only counted (<see cref="UntrackedFrames"/>); entries gone for twice the idle time are
    /// dropped by the sweep once the inventory is three quarters full, which makes room again.
    /// </summary>
    public const int MaxEntries = 16384;

    private const int MaxAddresses = 8;
    private const int MaxEvents = 1000;
    private long _untrackedFrames;
    private readonly HypervisorFamilies _families;
    private readonly long _idleNs;
    private readonly Dictionary<ulong, Entry> _entries = [];
    private string[] _portNames = [];
    private readonly RepeatKey _repeat = new();

    /// <summary>
    /// Each MAC and VLAN's entry whatever its port: frames to a VM cross the box the other way, on the other port
    /// than its own frames (inline), so a destination is found without the port.
    /// </summary>
    private readonly Dictionary<ulong, Entry> _byMacAndVlan = [];
    private readonly Dictionary<ulong, (int Port, long Time)> _lastAnnouncement = [];
    private readonly AnnouncementLimiter _announcements = new();
    private readonly List<VmEvent> _events = [];
    private long _eventsRecorded;
    private readonly Dictionary<ulong, (long Frames, long Bytes)> _pendingReceived = [];
    private ulong _lastKey = ulong.MaxValue;
    private ulong _destinationKey = ulong.MaxValue;
    private Entry? _destination;
    private long _runFrames;
    private long _runBytes;
    private Entry? _lastEntry;
    private readonly Lock _lock = new();

    public VmInventory(HypervisorFamilies families, TimeSpan idle)
    {
        _families = families;
        _idleNs = (long)idle.TotalNanoseconds;
    }

    /// <summary>Raised for every new event.</summary>
    public event Action<VmEvent>? EventRaised;

    /// <summary>Time of the newest frame observed.</summary>
    public long LatestNs { get; private set; }

    /// <summary>Takes one frame seen on <paramref name="port"/>.</summary>
    public void Observe(in FrameRecord record, ReadOnlySpan<byte> frame, int port, string portName)
    {
        lock (_lock)
        {
            ObserveLocked(record, frame, port, portName);
        }
    }

    /// <inheritdoc/>
    /// <remarks>The segment's own index of its frames is walked: no block is parsed to find the next.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BlocksAppended(Pipeline.BufferSegment segment, int firstFrame, IReadOnlyList<CapturePort> ports)
    {
        ArgumentNullException.ThrowIfNull(segment);
        var names = PortNames(ports);
        var data = segment.Blocks;
        var offsets = segment.FrameOffsets.AsSpan(firstFrame, segment.Frames - firstFrame);
        lock (_lock)
        {
            var run = default(RepeatRun);
            var i = 0;
            while (i < offsets.Length)
            {
                i += CountRepeats(ref run, data, offsets[i..]);
                if (i < offsets.Length)
                {
                    ObservePacket(ref run, data, offsets[i++], names);
                }
            }

            CountRun(ref run);
        }
    }

    /// <summary>
    /// How many of the blocks at <paramref name="offsets"/>, from the first, repeat the previous frame's header, added
    /// to <paramref name="run"/>. A frame with the same MACs, tag, port and IP source as the previous one (a bulk
    /// transfer, a flood) changes only counters: it is recognised by a few comparisons, the key in registers, instead of
    /// being decoded again. ARP, RARP and ICMPv6 frames never take this path, so no announcement or address is missed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int CountRepeats(ref RepeatRun run, ReadOnlySpan<byte> blocks, ReadOnlySpan<int> offsets)
    {
        var key = _repeat;
        if (!key.Valid || _lastEntry is null)
        {
            return 0;
        }

        var port = (uint)key.Port;
        var head = key.Head;
        var tail = key.Tail;
        var typeAt = key.SourceAt - key.TypeBack;
        var type = key.Type;
        var sourceAt = key.SourceAt;
        var sourceHead = key.SourceHead;
        var ipv6 = key.SourceLength == 16;
        var sourceTail = ipv6 ? BinaryPrimitives.ReadUInt64LittleEndian(key.SourceTail) : 0;
        var sourceEnd = ipv6 ? BinaryPrimitives.ReadUInt32LittleEndian(key.SourceTail.AsSpan(8)) : 0;
        var minimum = (uint)(sourceAt + key.SourceLength);
        var limit = (uint)blocks.Length;
        ref var origin = ref MemoryMarshal.GetReference(blocks);
        var frames = 0L;
        var bytes = 0L;
        var latest = run.LatestNs;
        var n = 0;
        for (; n < offsets.Length; n++)
        {
            var at = (uint)offsets[n];
            ref var block = ref Unsafe.Add(ref origin, at);
            var captured = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref block, 20));
            // The segment's index only names whole blocks; the bound is checked all the same, once per frame.
            if (Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref block, 8)) != port || captured < minimum || at + 28 + (ulong)captured > limit)
            {
                break;
            }

            ref var frame = ref Unsafe.Add(ref block, 28);
            if (Unsafe.ReadUnaligned<ulong>(ref frame) != head || Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref frame, 8)) != tail
                || Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref frame, typeAt)) != type
                || Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref frame, sourceAt)) != sourceHead
                || (ipv6 && (Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref frame, sourceAt + 4)) != sourceTail
                    || Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref frame, sourceAt + 12)) != sourceEnd)))
            {
                break;
            }

            frames++;
            bytes += Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref block, 24));
            latest = Math.Max(latest, (long)(((ulong)Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref block, 12)) << 32) | Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref block, 16))));
        }

        run.Frames += frames;
        run.Bytes += bytes;
        run.LatestNs = latest;
        return n;
    }

    /// <summary>
    /// Takes every frame of a run of enhanced packet blocks (a written buffer segment), under one lock. The blocks are
    /// walked in place; a frame that repeats the previous one's header (see <see cref="CountRepeats"/>) only adds to a
    /// run, counted into the entries once when the run ends.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ObserveBlocks(ReadOnlySpan<byte> blocks, IReadOnlyList<CapturePort> ports)
    {
        var names = PortNames(ports);
        lock (_lock)
        {
            var run = default(RepeatRun);
            var reader = new PcapngBlockReader(blocks);
            var at = 0;
            while (reader.TryRead(out var block))
            {
                if (block.IsPacket && CountRepeats(ref run, blocks, new ReadOnlySpan<int>(in at)) == 0)
                {
                    ObservePacket(ref run, blocks, at, names);
                }

                at = reader.Position;
            }

            CountRun(ref run);
        }
    }

    // The port names once per segment, not an interface call per frame.
    private string[] PortNames(IReadOnlyList<CapturePort> ports)
    {
        if (_portNames.Length != ports.Count)
        {
            _portNames = [.. ports.Select(p => p.Name)];
        }

        return _portNames;
    }

    /// <summary>One frame: the enhanced packet block (whole, with data) at <paramref name="at"/> in <paramref name="blocks"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ObservePacket(ref RepeatRun run, ReadOnlySpan<byte> blocks, int at, string[] names)
    {
        var header = blocks.Slice(at, 28);
        var port = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (port >= (uint)names.Length)
        {
            return;
        }

        var frame = blocks.Slice(at + 28, (int)BinaryPrimitives.ReadUInt32LittleEndian(header[20..]));
        // The caller has asked CountRepeats first: this frame does not repeat the one before.
        CountRun(ref run);
        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        var record = Pcapng.EnhancedPacketReader.ToFrame(new PcapngBlock(blocks.Slice(at, length), bigEndian: false));
        ObserveLocked(record, frame, record.Port, names[record.Port]);
        RememberRepeatable(record, frame);
    }

    /// <summary>Counts a run of repeated frames into the entries of the frame they repeat.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CountRun(ref RepeatRun run)
    {
        if (run.Frames == 0 || _lastEntry is not { } source)
        {
            run = default;
            return;
        }

        LatestNs = Math.Max(LatestNs, run.LatestNs);
        source.FramesSent += run.Frames;
        source.BytesSent += run.Bytes;
        source.LastSeen = Math.Max(source.LastSeen, run.LatestNs);
        source.Gone = false;
        if (_repeat.Unicast)
        {
            if (_destination is not null)
            {
                _destination.FramesReceived += run.Frames;
                _destination.BytesReceived += run.Bytes;
            }
            else
            {
                _runFrames += run.Frames;
                _runBytes += run.Bytes;
            }
        }

        run = default;
    }

    private void RememberRepeatable(in FrameRecord record, ReadOnlySpan<byte> frame)
    {
        _repeat.Valid = false;
        if (record.VlanTpid != 0 || frame.Length < 14)
        {
            return;
        }

        var type = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        var typeAt = 12;
        if (type is 0x8100 or 0x88a8 && frame.Length >= 18)
        {
            typeAt = 16;
            type = BinaryPrimitives.ReadUInt16BigEndian(frame[16..]);
        }

        var payload = typeAt + 2;
        (int At, int Length) source = type switch
        {
            0x0800 when frame.Length >= payload + 20 => (payload + 12, 4),
            0x86dd when frame.Length >= payload + 40 && frame[payload + 6] != 58 => (payload + 8, 16),
            _ => (0, 0),
        };
        if (source.Length == 0)
        {
            return;
        }

        _repeat.Head = BinaryPrimitives.ReadUInt64LittleEndian(frame);
        _repeat.Tail = BinaryPrimitives.ReadUInt64LittleEndian(frame[8..]);
        _repeat.Port = record.Port;
        _repeat.TypeBack = source.At - typeAt;
        _repeat.Type = BinaryPrimitives.ReadUInt16LittleEndian(frame[typeAt..]);
        _repeat.SourceAt = source.At;
        _repeat.SourceLength = source.Length;
        _repeat.SourceHead = BinaryPrimitives.ReadUInt32LittleEndian(frame[source.At..]);
        if (source.Length == 16)
        {
            frame.Slice(source.At + 4, 12).CopyTo(_repeat.SourceTail);
        }
        _repeat.Unicast = (frame[0] & 1) == 0;
        _repeat.Valid = true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ObserveLocked(in FrameRecord record, ReadOnlySpan<byte> frame, int port, string portName)
    {
        _repeat.Valid = false;
        if (!EthernetView.TryRead(record, frame, out var eth))
        {
            return;
        }

        var ts = record.TimestampNs;
        LatestNs = Math.Max(LatestNs, ts);
        var bytes = record.WireLength;
        {
            var source = Get(eth.Source, port, portName, eth.Vlan, ts);
            if (source is null)
            {
                _untrackedFrames++;
                return;
            }

            source.FramesSent++;
            source.BytesSent += bytes;
            source.LastSeen = Math.Max(source.LastSeen, ts);
            source.Gone = false;
            if ((eth.Destination[0] & 1) == 0)
            {
                // Runs of frames to one destination are counted without a lookup per frame.
                var key = Key(Mac.Key(eth.Destination), 0, eth.Vlan);
                if (key != _destinationKey)
                {
                    FlushDestinationRun();
                    _destinationKey = key;
                    _destination = _byMacAndVlan.GetValueOrDefault(key);
                }

                if (_destination is not null)
                {
                    _destination.FramesReceived++;
                    _destination.BytesReceived += bytes;
                }
                else
                {
                    _runFrames++;
                    _runBytes += bytes;
                }
            }

            Learn(source, eth);

            // Only ARP, RARP and IPv6 (neighbour advertisements) can announce a VM: the rest skip the check.
            if (eth.EtherType is 0x0806 or 0x8035 or 0x86dd && Announcement.Detect(eth) is var kind && kind != AnnouncementKind.None)
            {
                Announced(source, kind, port, portName, ts);
            }
        }
    }

    /// <summary>Reports VMs not seen for the idle time as gone, and refreshes rates; <paramref name="nowNs"/> is the clock.</summary>
    public void Sweep(long nowNs, double intervalSeconds)
    {
        lock (_lock)
        {
            ReportSuppressed(nowNs);
            foreach (var entry in _entries.Values)
            {
                if (intervalSeconds > 0)
                {
                    entry.FramesPerSecond = (entry.FramesSent - entry.RateFrames) / intervalSeconds;
                    entry.BytesPerSecond = (entry.BytesSent - entry.RateBytes) / intervalSeconds;
                    entry.RateFrames = entry.FramesSent;
                    entry.RateBytes = entry.BytesSent;
                }

                if (!entry.Gone && nowNs - entry.LastSeen >= _idleNs)
                {
                    entry.Gone = true;
                    Raise(new VmEvent(FromNs(nowNs), "gone", entry.MacText, entry.Family, entry.PortName, entry.Vlan, $"VM {entry.MacText} ({entry.Family}) gone from port {entry.PortName}{Vlan(entry.Vlan)}: not seen for {_idleNs / 1_000_000_000} s"));
                }
            }

            if (_entries.Count >= MaxEntries / 4 * 3)
            {
                Forget(nowNs);
            }
        }
    }

    /// <summary>Frames of MACs the full inventory could not take.</summary>
    public long UntrackedFrames
    {
        get
        {
            lock (_lock)
            {
                return _untrackedFrames;
            }
        }
    }

    // Drops the entries reported gone at least an idle time ago (silent for twice the idle time), and every shortcut
    // that could still point at one.
    private void Forget(long nowNs)
    {
        FlushDestinationRun();
        foreach (var entry in _entries.Values.Where(e => e.Gone && nowNs - e.LastSeen >= 2 * _idleNs).ToList())
        {
            _entries.Remove(entry.Key);
            if (_byMacAndVlan.GetValueOrDefault(entry.AnyPortKey) == entry)
            {
                _byMacAndVlan.Remove(entry.AnyPortKey);
            }
        }

        _lastKey = ulong.MaxValue;
        _lastEntry = null;
        _repeat.Valid = false;
        _destinationKey = ulong.MaxValue;
        _destination = null;
    }

    /// <summary>The inventory, busiest first.</summary>
    public IReadOnlyList<VmView> Snapshot()
    {
        lock (_lock)
        {
            FlushDestinationRun();
            return _entries.Values
                .OrderBy(e => e.PortName, StringComparer.Ordinal).ThenBy(e => e.Vlan).ThenBy(e => e.MacText, StringComparer.Ordinal)
                .Select(e => new VmView(e.MacText, e.Family, e.PortName, e.Vlan, [.. e.Addresses], FromNs(e.FirstSeen), FromNs(e.LastSeen), e.FramesSent, e.BytesSent, e.FramesReceived, e.BytesReceived, Math.Round(e.FramesPerSecond, 1), Math.Round(e.BytesPerSecond, 1), e.Gone))
                .ToArray();
        }
    }

    /// <summary>Events recorded since the firmware started (it keeps growing when the list is full and drops its oldest).</summary>
    public long EventsRecorded
    {
        get
        {
            lock (_lock)
            {
                return _eventsRecorded;
            }
        }
    }

    /// <summary>The events, oldest first (the last thousand).</summary>
    public IReadOnlyList<VmEvent> Events()
    {
        lock (_lock)
        {
            return [.. _events];
        }
    }

    // Frames to a MAC not listed yet are kept until it sends one itself (the inventory lists source MACs).
    private void FlushDestinationRun()
    {
        if (_destination is null && _runFrames > 0 && _pendingReceived.Count < 65536)
        {
            var pending = _pendingReceived.GetValueOrDefault(_destinationKey);
            _pendingReceived[_destinationKey] = (pending.Frames + _runFrames, pending.Bytes + _runBytes);
        }

        _runFrames = 0;
        _runBytes = 0;
    }

    private Entry? Get(ReadOnlySpan<byte> mac, int port, string portName, int vlan, long ts)
    {
        var key = Key(Mac.Key(mac), port, vlan);
        // Traffic comes in runs from one talker: the last entry saves the lookup for most frames.
        if (key == _lastKey && _lastEntry is not null)
        {
            return _lastEntry;
        }

        if (!_entries.TryGetValue(key, out var entry))
        {
            if (_entries.Count >= MaxEntries)
            {
                // Full: the frame is counted as untracked, and nothing may stand for this MAC in the shortcuts.
                _lastKey = ulong.MaxValue;
                _lastEntry = null;
                return null;
            }

            entry = new Entry(Mac.Format(mac), _families.Of(mac), port, vlan, ts) { PortName = portName, Key = key, AnyPortKey = Key(Mac.Key(mac), 0, vlan) };
            FlushDestinationRun();
            var anyPort = Key(Mac.Key(mac), 0, vlan);
            if (anyPort == _destinationKey)
            {
                _destination = entry;
            }

            if (_pendingReceived.Remove(anyPort, out var received))
            {
                entry.FramesReceived = received.Frames;
                entry.BytesReceived = received.Bytes;
            }

            // A MAC seen on a new port (a teamed-NIC failover) is reached there from now on.
            _byMacAndVlan[anyPort] = entry;
            _entries[key] = entry;
        }

        _lastKey = key;
        _lastEntry = entry;
        return entry;
    }

    private static void Learn(Entry source, EthernetView eth)
    {
        // Every frame passes here: compare raw bytes, and make text only for an address not seen before.
        if (source.Addresses.Count >= MaxAddresses)
        {
            return;
        }

        var p = eth.Payload;
        switch (eth.EtherType)
        {
            case 0x0806 when p.Length >= 28 && p.Slice(8, 6).SequenceEqual(eth.Source):
                AddAddress(source, p.Slice(14, 4));
                break;
            case 0x0800 when p.Length >= 20:
                AddAddress(source, p.Slice(12, 4));
                break;
            case 0x86dd when p.Length >= 40:
                AddAddress(source, p.Slice(8, 16));
                break;
        }
    }

    private static void AddAddress(Entry entry, ReadOnlySpan<byte> address)
    {
        // IPv4 addresses are marked with a bit no IPv4-compatible IPv6 address has, so the two never collide. The
        // same address as the talker's last one (nearly every frame) is settled by one comparison.
        var raw = address.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(address) | ((UInt128)1 << 64) : BinaryPrimitives.ReadUInt128BigEndian(address);
        if (raw == entry.LastRaw || !address.ContainsAnyExcept((byte)0))
        {
            return;
        }

        entry.LastRaw = raw;
        if (entry.Raw.Add(raw))
        {
            entry.Addresses.Add(new IPAddress(address).ToString());
        }
    }

    private const ulong MacBits = (1UL << 48) - 1;

    private static ulong Key(ulong mac, int port, int vlan) => mac | ((ulong)(vlan & 0xfff) << 48) | ((ulong)(port & 0xf) << 60);

    private void Announced(Entry source, AnnouncementKind kind, int port, string portName, long ts)
    {
        var macKey = source.Key & MacBits;
        var known = _lastAnnouncement.TryGetValue(macKey, out var previous);
        var failover = known && previous.Port != port;
        if (!known && _lastAnnouncement.Count >= MaxEntries)
        {
            // Announcements from ever new MACs (a storm of forged ones) must not grow it without end.
            _lastAnnouncement.Clear();
        }

        _lastAnnouncement[macKey] = (port, ts);
        if (!_announcements.Allow(macKey, port, ts))
        {
            return;
        }

        Raise(new VmEvent(FromNs(ts), "announced", source.MacText, source.Family, portName, source.Vlan, $"VM {source.MacText} ({source.Family}) announced on port {portName}{Vlan(source.Vlan)} ({Announcement.Describe(kind)})"));
        if (failover)
        {
            FailedOver(source, previous.Port, portName, ts);
        }
    }

    // Its own method: the lambda's capture of the earlier port would otherwise be allocated at every announcement.
    private void FailedOver(Entry source, int previousPort, string portName, long ts)
    {
        var other = _entries.Values.FirstOrDefault(e => e.Port == previousPort)?.PortName ?? previousPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Raise(new VmEvent(FromNs(ts), "failover", source.MacText, source.Family, portName, source.Vlan, $"VM {source.MacText} ({source.Family}) announced on both ports ({other} then {portName}): a teamed NIC failing over"));
    }

    // The announcements the limiter held back since the last sweep, as one event.
    private void ReportSuppressed(long nowNs)
    {
        if (_announcements.TakeSuppressed() is var suppressed and > 0)
        {
            Raise(new VmEvent(FromNs(nowNs), "suppressed", string.Empty, string.Empty, string.Empty, 0, $"{suppressed} more VM announcements not listed one by one (at most {AnnouncementLimiter.PerVmPerSecond} a second per VM and port, {AnnouncementLimiter.TotalPerSecond} in all): each announcing frame still has its comment in the capture"));
        }
    }

    private void Raise(VmEvent e)
    {
        _events.Add(e);
        _eventsRecorded++;
        if (_events.Count > MaxEvents)
        {
            _events.RemoveAt(0);
        }

        EventRaised?.Invoke(e);
    }

    private static string Vlan(int vlan) => vlan > 0 ? $", VLAN {vlan}" : string.Empty;

    private static DateTimeOffset FromNs(long ns) => DateTimeOffset.UnixEpoch.AddTicks(ns / 100);

    private sealed class Entry(string mac, string family, int port, int vlan, long first)
    {
        public string MacText { get; } = mac;

        /// <summary>Its key in the entries (MAC, port, VLAN).</summary>
        public ulong Key { get; init; }

        /// <summary>Its key as a destination (MAC and VLAN, any port).</summary>
        public ulong AnyPortKey { get; init; }

        public string Family { get; } = family;

        public int Port { get; } = port;

        public string PortName { get; set; } = string.Empty;

        public int Vlan { get; } = vlan;

        public List<string> Addresses { get; } = [];

        public HashSet<UInt128> Raw { get; } = [];

        public UInt128 LastRaw { get; set; }

        public long FirstSeen { get; } = first;

        public long LastSeen { get; set; } = first;

        public long FramesSent { get; set; }

        public long BytesSent { get; set; }

        public long FramesReceived { get; set; }

        public long BytesReceived { get; set; }

        public long RateFrames { get; set; }

        public long RateBytes { get; set; }

        public double FramesPerSecond { get; set; }

        public double BytesPerSecond { get; set; }

        public bool Gone { get; set; }
    }

    /// <summary>Frames that repeated the previous one's header, counted into its entries once when the run ends.</summary>
    private struct RepeatRun
    {
        public long Frames;
        public long Bytes;
        public long LatestNs;
    }

    /// <summary>What identifies the previous frame for <see cref="CountRepeats"/>.</summary>
    private sealed class RepeatKey
    {
        public bool Valid { get; set; }

        public ulong Head { get; set; }

        public ulong Tail { get; set; }

        public int Port { get; set; }

        public int TypeBack { get; set; }

        public ushort Type { get; set; }

        public int SourceAt { get; set; }

        public int SourceLength { get; set; }

        /// <summary>The first four bytes of the IP source (all of an IPv4 one).</summary>
        public uint SourceHead { get; set; }

        /// <summary>The other twelve bytes of an IPv6 source.</summary>
        public byte[] SourceTail { get; } = new byte[12];

        public bool Unicast { get; set; }
    }
}
