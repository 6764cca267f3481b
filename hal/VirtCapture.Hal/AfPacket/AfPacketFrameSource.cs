using System.Diagnostics;
using VirtCapture.Hal.Bpf;
using VirtCapture.Hal.Frames;
using VirtCapture.Hal.Links;
using VirtCapture.Hal.Interop;
using static VirtCapture.Hal.Interop.LibcNative;

namespace VirtCapture.Hal.AfPacket;

/// <summary>
/// Live capture with AF_PACKET TPACKET_V3 rings, one per port, the capture filter running in the kernel. Both rings
/// are mapped side by side in one reserved region, so a batch can describe frames of both ports in place: the
/// frames are merged into timestamp order straight from the kernel's blocks, with no copy before the buffer.
/// </summary>
public sealed unsafe class AfPacketFrameSource : IFrameSource, ILiveRing
{
    private const int MaxFramesPerBatch = 8192;
    // Small blocks: the merge may hold a block for the reorder window, so a ring needs many of them.
    private const int BlockSize = 256 << 10;
    private const int BlockTimeoutMs = 8;

    private readonly AfPacketPort[] _ports;
    private readonly byte* _base;
    private readonly nuint _regionBytes;
    private readonly FrameRecord[] _frames = new FrameRecord[MaxFramesPerBatch];
    private readonly long[] _heads;
    private readonly byte*[] _cursor;
    private readonly uint[] _left;
    private readonly int[] _openBlock;
    private readonly int[] _nextBlock;
    private readonly int[] _releaseStart;
    private readonly int[] _releaseCount;
    private readonly PollFd[] _pollFds;
    private readonly int[] _pollPorts;
    private readonly long _windowNs;
    private readonly PortStateTracker? _state;
    private readonly long _ringBytesPerPort;
    // While frames flow, the thread naps this long between looks at the rings instead of calling poll (WaitForBlocks);
    // set again when a link comes up, at its speed.
    private int _napMs;
    private bool _flowing;

    /// <summary>Opens every port.</summary>
    /// <param name="ports">Port names and their interfaces.</param>
    /// <param name="filter">Capture filter, compiled by libpcap for each interface and attached in the kernel.</param>
    /// <param name="ringMegabytesPerPort">Size of each port's ring.</param>
    /// <param name="reorderWindow">How long a frame may wait for an older one from another port (default 50 ms).</param>
    /// <exception cref="CaptureDeviceException">A port could not be opened; the message names it and the errno.</exception>
    /// <exception cref="FilterCompileException">The filter is invalid.</exception>
    public AfPacketFrameSource(IReadOnlyList<(string Name, string Interface)> ports, string filter, int ringMegabytesPerPort, TimeSpan? reorderWindow = null)
    {
        ArgumentNullException.ThrowIfNull(ports);
        ArgumentOutOfRangeException.ThrowIfLessThan(ringMegabytesPerPort, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ringMegabytesPerPort * ports.Count, 2000);
        var count = ports.Count;
        _windowNs = (long)(reorderWindow ?? TimeSpan.FromMilliseconds(50)).TotalNanoseconds;
        _ports = new AfPacketPort[count];
        _heads = new long[count];
        _cursor = new byte*[count];
        _left = new uint[count];
        _openBlock = new int[count];
        _nextBlock = new int[count];
        _releaseStart = new int[count];
        _releaseCount = new int[count];
        _pollFds = new PollFd[count];
        _pollPorts = new int[count];
        Array.Fill(_heads, TimestampMerge.Empty);
        Array.Fill(_openBlock, -1);

        var blocksPerPort = ringMegabytesPerPort * ((1 << 20) / BlockSize);
        _regionBytes = (nuint)((long)BlockSize * blocksPerPort * count);
        // One reservation, then each ring mapped into it with MAP_FIXED: the rings are contiguous by construction.
        _base = (byte*)mmap(null, _regionBytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (_base == (byte*)-1)
        {
            throw CaptureDeviceException.FromErrno(ports[0].Name, ports[0].Interface, $"reserving {_regionBytes} bytes for the rings");
        }

        try
        {
            for (var p = 0; p < count; p++)
            {
                using var program = BpfFilterProgram.CompileForInterface(filter, ports[p].Interface);
                _ports[p] = new AfPacketPort(ports[p].Name, ports[p].Interface, program, BlockSize, blocksPerPort, BlockTimeoutMs, _base + ((long)p * BlockSize * blocksPerPort));
            }

            Ports = ports.Select((p, i) => new CapturePort(p.Name, $"port {p.Name} ({p.Interface}); timestamps: {_ports[i].Clock}", CapturePort.Ethernet)).ToArray();
            // PACKET_STATISTICS resets on every read: each read is the increment.
            _state = new PortStateTracker(ports.Select(p => p.Interface).ToArray(), p => _ports[p].ReadStatistics());
            _ringBytesPerPort = (long)BlockSize * blocksPerPort;
            _napMs = NapMilliseconds();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<CapturePort> Ports { get; } = [];

    /// <inheritdoc/>
    public bool IsLive => true;

    /// <inheritdoc/>
    public bool FiltersInKernel => true;

    /// <inheritdoc/>
    public BatchResult ReadBatch(out FrameBatch batch, TimeSpan timeout)
    {
        ReleaseConsumedBlocks();
        RefreshLinks();
        var count = LiveBatchLoop.Run(this, timeout);
        batch = count > 0 ? new FrameBatch(new ReadOnlySpan<byte>(_base, (int)_regionBytes), _frames.AsSpan(0, count)) : default;
        return count > 0 ? BatchResult.Frames : BatchResult.Timeout;
    }

    /// <inheritdoc/>
    bool ILiveRing.Holding => Array.Exists(_heads, h => h != TimestampMerge.Empty);

    /// <inheritdoc/>
    void ILiveRing.Refill()
    {
        for (var p = 0; p < _ports.Length; p++)
        {
            if (_openBlock[p] < 0)
            {
                TryOpenBlock(p);
            }
        }
    }

    /// <inheritdoc/>
    int ILiveRing.Merge() => Merge();

    /// <inheritdoc/>
    void ILiveRing.Wait(int milliseconds) => WaitForBlocks(milliseconds);

    /// <inheritdoc/>
    public SourceCounters GetCounters(int port) => _state!.Counters(port);

    /// <inheritdoc/>
    public PortLink GetLink(int port) => _state!.Link(port);

    /// <inheritdoc/>
    public void Dispose()
    {
        _state?.Dispose();
        foreach (var port in _ports)
        {
            port?.Dispose();
        }

        if (_base != null && _base != (byte*)-1)
        {
            munmap(_base, _regionBytes);
        }
    }

    private int Merge()
    {
        if (_ports.Length == 1)
        {
            return TakeSinglePort();
        }

        var horizon = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100 - _windowNs;
        var count = 0;
        while (count < MaxFramesPerBatch)
        {
            var p = TimestampMerge.Pick(_heads, horizon);
            if (p < 0)
            {
                break;
            }

            var packet = _cursor[p];
            var header = (Tpacket3Header*)packet;
            Describe(ref _frames[count++], header, p);
            if (--_left[p] == 0)
            {
                FinishBlock(p);
                TryOpenBlock(p);
            }
            else
            {
                _cursor[p] = packet + header->NextOffset;
                _heads[p] = ((Tpacket3Header*)_cursor[p])->TimestampNs;
            }
        }

        TimestampMerge.RestoreOrder(_frames.AsSpan(0, count));
        return count;
    }

    /// <summary>
    /// One port needs no merge: its open blocks are taken frame after frame in a loop over the block, without the
    /// per-frame choice between ports.
    /// </summary>
    private int TakeSinglePort()
    {
        // About eight small frames ahead; past a block's end it only warms a line.
        const int PrefetchAhead = 1024;
        var frames = _frames;
        var count = 0;
        // Whether a frame came older than the one before it, seen as the frames are described: the batch is then put
        // in order, and a batch in order (nearly always) costs no second pass over its records.
        var previous = 0L;
        var late = false;
        while (count < frames.Length && _heads[0] != TimestampMerge.Empty)
        {
            var packet = _cursor[0];
            var take = (int)Math.Min(_left[0], (uint)(frames.Length - count));
            for (var i = 0; i < take; i++)
            {
                var header = (Tpacket3Header*)packet;
                // The next header's place is read from this one: without a prefetch, each frame waits for the line
                // the kernel wrote on the other core before the next can be asked for. Two lines a frame: a small
                // frame's slot is 144 bytes, header and data on two or three lines, and the annotators and the copy
                // read the data soon after (one line a frame: 8 % more CPU in bench-live's flood).
                CacheLine.Prefetch(packet + PrefetchAhead);
                CacheLine.Prefetch(packet + PrefetchAhead + 64);

                ref var frame = ref frames[count++];
                Describe(ref frame, header, 0);
                late |= frame.TimestampNs < previous;
                previous = frame.TimestampNs;
                packet += header->NextOffset;
            }

            _left[0] -= (uint)take;
            if (_left[0] == 0)
            {
                FinishBlock(0);
                TryOpenBlock(0);
            }
            else
            {
                _cursor[0] = packet;
                _heads[0] = ((Tpacket3Header*)packet)->TimestampNs;
            }
        }

        if (late)
        {
            TimestampMerge.RestoreOrder(frames.AsSpan(0, count));
        }

        return count;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void Describe(ref FrameRecord frame, Tpacket3Header* header, int port)
    {
        var status = header->Status;
        frame.TimestampNs = header->TimestampNs;
        frame.Offset = (int)((byte*)header + header->MacOffset - _base);
        frame.CapturedLength = (int)header->CapturedLength;
        frame.WireLength = (int)header->WireLength;
        frame.Port = (ushort)port;
        frame.Direction = FrameDirection.Inbound;
        if ((status & Tpacket3Header.StatusVlanValid) != 0)
        {
            // The kernel stripped the outer tag; the TPID is valid only when it says so (else 802.1Q).
            frame.VlanTci = (ushort)header->VlanTci;
            frame.VlanTpid = (status & Tpacket3Header.StatusVlanTpidValid) != 0 ? header->VlanTpid : (ushort)0x8100;
        }
        else
        {
            frame.VlanTci = 0;
            frame.VlanTpid = 0;
        }
    }

    private void TryOpenBlock(int p)
    {
        var port = _ports[p];
        while (BlockWaiting(p))
        {
            var index = _nextBlock[p];
            var block = port.Block(index);
            _nextBlock[p] = (index + 1) % port.BlockCount;
            var descriptor = (TpacketBlockDescriptor*)block;
            var packets = descriptor->PacketCount;
            _openBlock[p] = index;
            if (packets == 0)
            {
                FinishBlock(p);
                continue;
            }

            _left[p] = packets;
            _cursor[p] = block + descriptor->OffsetToFirstPacket;
            _heads[p] = ((Tpacket3Header*)_cursor[p])->TimestampNs;
            return;
        }
    }

    private void FinishBlock(int p)
    {
        // Frames of this block are in the batch being handed out; the block goes back at the next call.
        if (_releaseCount[p] == 0)
        {
            _releaseStart[p] = _openBlock[p];
        }

        _releaseCount[p]++;
        _openBlock[p] = -1;
        _heads[p] = TimestampMerge.Empty;
    }

    private void ReleaseConsumedBlocks()
    {
        for (var p = 0; p < _ports.Length; p++)
        {
            for (var i = 0; i < _releaseCount[p]; i++)
            {
                _ports[p].Release((_releaseStart[p] + i) % _ports[p].BlockCount);
            }

            _releaseCount[p] = 0;
        }
    }

    private void WaitForBlocks(int timeoutMs)
    {
        var n = 0;
        for (var p = 0; p < _ports.Length; p++)
        {
            if (_openBlock[p] < 0)
            {
                _pollFds[n] = new PollFd { Fd = _ports[p].Fd, Events = POLLIN };
                _pollPorts[n++] = p;
            }
        }

        if (n == 0)
        {
            Thread.Sleep(timeoutMs);
            return;
        }

        // poll looks at the ring under the socket's receive-queue lock, which the kernel takes for every frame it
        // delivers; during a flood a block retires every millisecond or two and each poll contended for that lock (a
        // fifth of the capture thread's CPU on a 2-vCPU VM, make profile-live, and the same in tcpdump). While blocks
        // keep coming the thread naps instead (a poll of no sockets: a plain sleep) and then reads the blocks' status
        // words, which need no lock; a nap that finds nothing hands the wait back to poll, which sleeps until a block
        // retires. Fewer, larger wake-ups as well: one per nap, not one per block.
        if (_flowing)
        {
            var nap = Math.Min(_napMs, timeoutMs);
            poll(null, 0, nap);
            timeoutMs -= nap;
            if (timeoutMs == 0 || AnyBlockWaiting(n))
            {
                // A short wait (a port holding frames for the merge) ends with the nap; the caller looks again.
                return;
            }

            _flowing = false;
        }

        fixed (PollFd* fds = _pollFds)
        {
            if (poll(fds, (nuint)n, timeoutMs) > 0)
            {
                _flowing = AnyBlockWaiting(n);
                for (var i = 0; i < n; i++)
                {
                    if ((fds[i].Revents & POLLERR) != 0)
                    {
                        // ENETDOWN while the link is down; the socket stays bound and resumes when it comes back.
                        _ports[_pollPorts[i]].TakeError();
                    }
                }
            }
        }

        RefreshLinks();
    }

    // Counters and links, ten times a second; a link that came up (or changed speed) changes the nap.
    private void RefreshLinks()
    {
        if (_state!.RefreshIfDue())
        {
            _napMs = NapMilliseconds();
        }
    }

    // The fastest link fills its ring first.
    private int NapMilliseconds()
    {
        var fastest = 0;
        for (var p = 0; p < _ports.Length; p++)
        {
            fastest = Math.Max(fastest, _state!.Link(p).SpeedMbps);
        }

        return RingNap.Milliseconds(_ringBytesPerPort, fastest);
    }

    // A retired block waits at the next place of one of the ports being waited for.
    private bool AnyBlockWaiting(int n)
    {
        for (var i = 0; i < n; i++)
        {
            if (BlockWaiting(_pollPorts[i]))
            {
                return true;
            }
        }

        return false;
    }

    // A block consumed in this batch still reads as ready until it is released: never open it twice.
    private bool BlockWaiting(int p) => !(_releaseCount[p] > 0 && _nextBlock[p] == _releaseStart[p]) && _ports[p].IsReady(_nextBlock[p]);
}
