using VirtCapture.Hal.Frames;

namespace VirtCapture.Collector;

/// <summary>
/// A frame source over another that carries mirror traffic: each session is a port (a pcapng interface), each frame
/// the mirrored frame inside the outer one, described in place (no copy), with the ERSPAN direction. The sessions are
/// the listed ones or, with none listed, each one as it first arrives (up to a limit). What is not a frame of a
/// recorded session is counted in <see cref="Counters"/>.
/// </summary>
internal sealed class DecapsulatingFrameSource : IFrameSource
{
    private readonly IFrameSource _outer;
    private readonly Dictionary<MirrorSession, int> _index;
    private readonly int _maxPorts;
    private readonly bool _discover;
    private MirrorSession[] _sessions;
    // Swapped whole when a session is found: other threads read a consistent list without a lock.
    private CapturePort[] _ports;
    private readonly long[] _received;
    private readonly long[] _lost;
    private readonly long[] _bytes;
    private readonly long[] _truncated;
    private readonly long[] _malformed;
    private readonly long[] _bso;
    private readonly long[] _duplicates;
    private readonly DuplicateWindow? _dedup;
    private readonly uint[] _lastSequence;
    private readonly bool[] _sequenced;
    private readonly IDisposable? _companion;
    private readonly HashSet<MirrorSession> _unlisted = [];
    private readonly UInt128[] _lastSender;
    private MirrorSession _lastSession;
    private int _lastPort = -1;
    private readonly OuterReassembler _reassembler = new();
    private FrameRecord[] _frames = new FrameRecord[1024];
    private byte[] _staging = new byte[64 * 1024];
    private int _stagedLength;
    private bool _staged;

    /// <summary>Decapsulates <paramref name="outer"/> into <paramref name="sessions"/>, in that order.</summary>
    /// <param name="outer">The outer frames.</param>
    /// <param name="sessions">The sessions kept, each an interface; none: every session, as it arrives.</param>
    /// <param name="companion">Disposed with the source (the collector's sockets).</param>
    /// <param name="maxSessions">With no session listed, the most sessions recorded; later ones are counted.</param>
    /// <param name="dedupWindow">A frame seen again within this time is a duplicate, counted and not recorded (zero: off).</param>
    public DecapsulatingFrameSource(IFrameSource outer, IReadOnlyList<MirrorSession> sessions, IDisposable? companion = null, int maxSessions = DefaultMaxSessions, TimeSpan dedupWindow = default)
    {
        _dedup = dedupWindow > TimeSpan.Zero ? new DuplicateWindow(dedupWindow.Ticks * 100) : null;
        _companion = companion;
        ArgumentNullException.ThrowIfNull(outer);
        ArgumentNullException.ThrowIfNull(sessions);
        _outer = outer;
        _index = sessions.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i);
        _sessions = [.. sessions];
        _ports = [.. sessions.Select(s => Port(s, null))];
        _discover = sessions.Count == 0;
        _maxPorts = _discover ? maxSessions : sessions.Count;
        _received = new long[_maxPorts];
        _lost = new long[_maxPorts];
        _bytes = new long[_maxPorts];
        _truncated = new long[_maxPorts];
        _malformed = new long[_maxPorts];
        _bso = new long[_maxPorts];
        _duplicates = new long[_maxPorts];
        _lastSequence = new uint[_maxPorts];
        _sequenced = new bool[_maxPorts];
        _lastSender = new UInt128[_maxPorts];
    }

    /// <summary>Sessions recorded when none are listed, unless configured otherwise.</summary>
    public const int DefaultMaxSessions = 64;

    /// <summary>
    /// Capture thread: a session arrived for the first time and is recorded from now on as a new interface (no
    /// session listed): its port and the session.
    /// </summary>
    public event Action<int, MirrorSession>? SessionFound;

    /// <summary>Outer frames that gave no frame of a session.</summary>
    public MirrorCounters Counters { get; } = new();

    /// <summary>
    /// Capture thread: a session not recorded arrived (not in the list, or beyond the limit of sessions found), the first
    /// time it does (at most 64 are told), so the engineer can add it. Its frames are counted in
    /// <see cref="MirrorCounters.Unlisted"/>.
    /// </summary>
    public event Action<MirrorSession>? UnlistedSession;

    /// <summary>
    /// Capture thread: a session taken from any sender ("@any") now arrives from another one (a VM's mirror moved with
    /// it to another host): the port, the new sender, the previous one.
    /// </summary>
    public event Action<int, MirrorSession, MirrorSession>? SenderChanged;

    /// <summary>Frames the sessions' GRE sequence numbers show were lost before they reached the box.</summary>
    public long Lost => _lost.Sum();

    /// <inheritdoc/>
    public IReadOnlyList<CapturePort> Ports => Volatile.Read(ref _ports);

    /// <inheritdoc/>
    public int MaxPorts => _maxPorts;

    /// <inheritdoc/>
    public bool IsLive => _outer.IsLive;

    /// <inheritdoc/>
    public bool FiltersInKernel => false;

    /// <inheritdoc/>
    public BatchResult ReadBatch(out FrameBatch batch, TimeSpan timeout)
    {
        while (true)
        {
            var result = _outer.ReadBatch(out var outer, timeout);
            if (result == BatchResult.EndOfInput)
            {
                _reassembler.GiveUpAll();
            }

            if (result != BatchResult.Frames)
            {
                batch = default;
                return result;
            }

            var frames = outer.Frames;
            if (_frames.Length < frames.Length)
            {
                _frames = new FrameRecord[frames.Length];
            }

            var count = 0;
            _staged = false;
            foreach (ref readonly var frame in frames)
            {
                var bytes = outer.Bytes(frame);
                var status = MirrorDecapsulator.Decode(bytes, out var packet);
                if (status == MirrorDecodeStatus.Fragment)
                {
                    Counters.Count(packet);
                    // IPv4 fragments are put together; the whole datagram is then read like any other, from the
                    // reassembler's memory, so the batch moves to memory of its own (only batches with one do).
                    if (packet.OuterIpOffset == 0 || !_reassembler.TryAdd(bytes, packet.OuterIpOffset, frame.TimestampNs, out var whole))
                    {
                        continue;
                    }

                    if (MirrorDecapsulator.Decode(whole, out packet) != MirrorDecodeStatus.Mirrored)
                    {
                        Damaged(packet);
                    }
                    else if (Take(packet, whole, frame.TimestampNs, out var reassembled))
                    {
                        Stage(outer.Data, count);
                        reassembled.Offset = Append(whole.Slice(packet.InnerOffset, packet.InnerLength));
                        _frames[count++] = reassembled;
                    }

                    continue;
                }

                if (status != MirrorDecodeStatus.Mirrored)
                {
                    Damaged(packet);
                    continue;
                }

                if (Take(packet, bytes, frame.TimestampNs, out var record))
                {
                    record.Offset = _staged ? Append(bytes.Slice(packet.InnerOffset, packet.InnerLength)) : frame.Offset + packet.InnerOffset;
                    _frames[count++] = record;
                }
            }

            if (frames.Length > 0)
            {
                _reassembler.Expire(frames[^1].TimestampNs);
            }

            if (count > 0 || _outer.IsLive)
            {
                batch = new FrameBatch(_staged ? _staging.AsSpan(0, _stagedLength) : outer.Data, _frames.AsSpan(0, count));
                return count > 0 ? BatchResult.Frames : BatchResult.Timeout;
            }
        }
    }

    /// <summary>Second copies of frames within the deduplication window, over every session.</summary>
    public long Duplicates => _duplicates.Sum();

    /// <summary>The sessions recorded, in interface order.</summary>
    public IReadOnlyList<MirrorSession> Sessions => _sessions;

    /// <summary>Outer IPv4 datagrams made whole from their fragments.</summary>
    public long Reassembled => _reassembler.Reassembled;

    /// <summary>Outer datagrams whose fragments never all came (or did not fit together): their frames are lost.</summary>
    public long ReassemblyGivenUp => _reassembler.GivenUp;

    // A mirrored frame of a recorded session: counted, and described (its offset is the caller's to set).
    private bool Take(in MirrorPacket packet, ReadOnlySpan<byte> outerFrame, long arrivalNs, out FrameRecord record)
    {
        record = default;
        var session = MirrorSession.Of(packet);
        var switchTimes = MirrorClock.TrySwitchTime(packet, arrivalNs, out var timestampNs);
        if (!Resolve(session, switchTimes, out var port))
        {
            Counters.Unlisted++;
            if (_unlisted.Count < 64 && _unlisted.Add(session))
            {
                UnlistedSession?.Invoke(session);
            }

            return false;
        }

        if (_dedup is not null && _dedup.IsDuplicate(outerFrame.Slice(packet.InnerOffset, packet.InnerLength), packet.Encapsulation, packet.SessionId, timestampNs))
        {
            _duplicates[port]++;
            return false;
        }

        _received[port]++;
        _bytes[port] += packet.InnerLength;
        if (packet.Truncated || packet.InnerWireLength > packet.InnerLength)
        {
            _truncated[port]++;
        }

        if (packet.Bso != 0)
        {
            _bso[port]++;
        }

        if (packet.HasSequence)
        {
            CountLost(port, packet.Sequence);
        }

        record = new FrameRecord
        {
            TimestampNs = timestampNs,
            CapturedLength = packet.InnerLength,
            WireLength = Math.Max(packet.InnerWireLength, packet.InnerLength),
            Port = (ushort)port,
            Direction = (FrameDirection)packet.Direction,
        };
        return true;
    }

    private void Damaged(in MirrorPacket packet)
    {
        Counters.Count(packet);
        if (packet.SessionKnown && (_index.TryGetValue(MirrorSession.Of(packet), out var port) || _index.TryGetValue(MirrorSession.Of(packet).WithAnySource(), out port)))
        {
            _malformed[port]++;
        }
    }

    // From here on this batch's frames are copies in the staging memory, the ones taken so far too.
    private void Stage(ReadOnlySpan<byte> data, int count)
    {
        if (_staged)
        {
            return;
        }

        _staged = true;
        _stagedLength = 0;
        for (var i = 0; i < count; i++)
        {
            _frames[i].Offset = Append(data.Slice(_frames[i].Offset, _frames[i].CapturedLength));
        }
    }

    private int Append(ReadOnlySpan<byte> bytes)
    {
        if (_stagedLength + bytes.Length > _staging.Length)
        {
            Array.Resize(ref _staging, Math.Max(_staging.Length * 2, _stagedLength + bytes.Length));
        }

        var at = _stagedLength;
        bytes.CopyTo(_staging.AsSpan(at));
        _stagedLength += bytes.Length;
        return at;
    }
    /// <summary>A session's own counters (any thread: each is exact, the set is not one instant).</summary>
    public MirrorSessionCounters SessionCounters(int port) =>
        new(Volatile.Read(ref _received[port]), Volatile.Read(ref _bytes[port]), Volatile.Read(ref _truncated[port]), Volatile.Read(ref _lost[port]), Volatile.Read(ref _malformed[port]), Volatile.Read(ref _bso[port]), Volatile.Read(ref _duplicates[port]));

    /// <inheritdoc/>
    /// <remarks>
    /// Dropped: the frames a session's GRE sequence numbers show were lost before they reached the box, and, on the
    /// first session, the collector port's kernel drops (they happen before a session is known).
    /// </remarks>
    public SourceCounters GetCounters(int port) => new(_received[port], _lost[port] + (port == 0 ? _outer.GetCounters(0).KernelDropped : 0));

    // A flood is one session frame after frame: the last answer is kept, so the usual frame costs one comparison,
    // not a dictionary lookup. The same key always resolves to the same port, whichever way it was found.
    private bool Resolve(MirrorSession session, bool switchTimes, out int port)
    {
        if (_lastPort >= 0 && session == _lastSession)
        {
            port = _lastPort;
            return true;
        }

        if (!_index.TryGetValue(session, out port) && !TryAnySender(session, out port) && !TryFound(session, switchTimes, out port))
        {
            return false;
        }

        _lastSession = session;
        _lastPort = port;
        return true;
    }

    // A session listed with "@any": the sender is whoever sends it, and a new one is told (the sequence starts over).
    private bool TryAnySender(MirrorSession session, out int port)
    {
        if (!_index.TryGetValue(session.WithAnySource(), out port))
        {
            return false;
        }

        var previous = _lastSender[port];
        if (previous != session.Source)
        {
            _lastSender[port] = session.Source;
            _sequenced[port] = false;
            if (previous != MirrorSession.AnySource)
            {
                SenderChanged?.Invoke(port, session, session with { Source = previous });
            }
        }

        return true;
    }

    // With no session listed, a new one becomes the next interface. The same session from another sender is another
    // interface, and told as the sender change it is (a VM's mirror moved with it to another host).
    private bool TryFound(MirrorSession session, bool switchTimes, out int port)
    {
        port = _ports.Length;
        if (!_discover || port >= _maxPorts)
        {
            return false;
        }

        _index.Add(session, port);
        var previous = Array.FindLastIndex(_sessions, s => s.Encapsulation == session.Encapsulation && s.Id == session.Id);
        _sessions = [.. _sessions, session];
        Volatile.Write(ref _ports, [.. _ports, Port(session, switchTimes)]);
        SessionFound?.Invoke(port, session);
        if (previous >= 0)
        {
            SenderChanged?.Invoke(port, session, _sessions[previous]);
        }

        return true;
    }

    private static CapturePort Port(MirrorSession session, bool? switchTimes) => new(session.Name, MirrorClock.Describe(session, switchTimes), CapturePort.Ethernet);

    // A gap in the sender's sequence is frames lost on the way; a step back or a huge jump (the sender restarted, or
    // reordering) is not counted as loss.
    private void CountLost(int port, uint sequence)
    {
        if (_sequenced[port])
        {
            var gap = sequence - _lastSequence[port] - 1;
            if (gap is > 0 and < 1_000_000)
            {
                _lost[port] += gap;
            }
        }

        _sequenced[port] = true;
        _lastSequence[port] = sequence;
    }

    /// <inheritdoc/>
    public PortLink GetLink(int port) => _outer.GetLink(0);

    /// <inheritdoc/>
    public void Dispose()
    {
        _outer.Dispose();
        _companion?.Dispose();
    }
}
