using System.Diagnostics;
using SharpPcap;
using SharpPcap.LibPcap;
using VirtCapture.Hal.AfPacket;
using VirtCapture.Hal.Bpf;
using VirtCapture.Hal.Frames;
using VirtCapture.Hal.Links;
using VirtCapture.Hal.Interop;
using static VirtCapture.Hal.Interop.LibcNative;

namespace VirtCapture.Hal.Libpcap;

/// <summary>
/// Live capture through libpcap (SharpPcap's live devices), the alternative to the AF_PACKET rings. SharpPcap opens
/// and configures each port (promiscuous, 10 ms block timeout, nanosecond timestamps, the kernel filter); our own loop reads
/// with <c>GetNextPacketPointers</c> (pcap_next_ex, no allocation), copies each frame once into a per-port staging
/// region, and merges the ports in timestamp order. Counters come from our own pcap_stats call, because
/// SharpPcap's Statistics reads the wrong fields on 64-bit Linux.
/// </summary>
public sealed unsafe class LibpcapFrameSource : IFrameSource, ILiveRing
{
    private const int RegionBytes = 8 << 20;
    private const int MaxFramesPerPort = 8192;
    private const int MaxFramesPerBatch = 8192;

    private readonly LibPcapLiveDevice[] _devices;
    private readonly byte[] _staging;
    private readonly FrameRecord[][] _staged;
    private readonly int[] _stagedStart;
    private readonly int[] _stagedCount;
    private readonly int[] _fill;
    private readonly long[] _heads;
    private readonly FrameRecord[] _frames = new FrameRecord[MaxFramesPerBatch];
    private readonly PollFd[] _pollFds;
    private readonly uint[] _lastReceived;
    private readonly uint[] _lastDropped;
    private readonly long _windowNs;
    private readonly PortStateTracker? _state;

    /// <summary>Opens every port with SharpPcap.</summary>
    /// <exception cref="CaptureDeviceException">A port could not be opened.</exception>
    /// <exception cref="LibpcapMissingException">libpcap is not installed.</exception>
    public LibpcapFrameSource(IReadOnlyList<(string Name, string Interface)> ports, string filter, int bufferMegabytesPerPort, TimeSpan? reorderWindow = null)
    {
        ArgumentNullException.ThrowIfNull(ports);
        var count = ports.Count;
        // libpcap hands a frame over up to its 10 ms block timeout late, then through its own buffer and our staging:
        // on a loaded box that has taken more than 50 ms (seen in CI: two ports' frames 10 ns apart swapped), so the
        // window is wider than AF_PACKET's. A frame of a port that is idle waits that long before it is written.
        _windowNs = (long)(reorderWindow ?? TimeSpan.FromMilliseconds(250)).TotalNanoseconds;
        _devices = new LibPcapLiveDevice[count];
        _staging = GC.AllocateUninitializedArray<byte>(RegionBytes * count, pinned: true);
        _staged = new FrameRecord[count][];
        _stagedStart = new int[count];
        _stagedCount = new int[count];
        _fill = new int[count];
        _heads = new long[count];
        _pollFds = new PollFd[count];
        _lastReceived = new uint[count];
        _lastDropped = new uint[count];
        Ports = ports.Select(p => new CapturePort(p.Name, $"port {p.Name} ({p.Interface})", CapturePort.Ethernet)).ToArray();
        LibPcapLiveDeviceList list;
        try
        {
            list = LibPcapLiveDeviceList.New();
        }
        catch (DllNotFoundException e)
        {
            throw new LibpcapMissingException(e);
        }

        try
        {
            for (var p = 0; p < count; p++)
            {
                var (name, iface) = ports[p];
                var device = list.FirstOrDefault(d => d.Name == iface)
                    ?? throw new CaptureDeviceException($"port {name}: libpcap does not see interface {iface}");
                device.Open(new DeviceConfiguration
                {
                    Mode = DeviceModes.Promiscuous,
                    Snaplen = BpfFilterProgram.CompileSnaplen,
                    // Not immediate: libpcap then keeps TPACKET_V3, whose blocks batch the wake-ups; the 10 ms read
                    // timeout is also the block timeout, so no frame waits longer than that.
                    Immediate = false,
                    ReadTimeout = 10,
                    BufferSize = bufferMegabytesPerPort << 20,
                    TimestampResolution = TimestampResolution.Nanosecond,
                });
                _devices[p] = device;
                try
                {
                    device.Filter = filter;
                }
                catch (PcapException e)
                {
                    throw new FilterCompileException(filter, e.Message);
                }

                var handle = device.Handle.DangerousGetHandle();
                // Inbound only: a frame forwarded out of the other port must not be recorded twice (PCAP_D_IN).
                if (LibpcapNative.pcap_setdirection(handle, 1) != 0)
                {
                    throw new CaptureDeviceException($"port {name} ({iface}): pcap_setdirection failed: {device.LastError}");
                }

                device.NonBlockingMode = true;
                _pollFds[p] = new PollFd { Fd = LibpcapNative.pcap_get_selectable_fd(handle), Events = POLLIN };
                _staged[p] = new FrameRecord[MaxFramesPerPort];
                _heads[p] = TimestampMerge.Empty;
            }

            _state = new PortStateTracker(ports.Select(p => p.Interface).ToArray(), ReadIncrement);
        }
        catch (PcapException e)
        {
            Dispose();
            throw new CaptureDeviceException($"libpcap cannot open the capture ports: {e.Message}", e);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<CapturePort> Ports { get; }

    /// <inheritdoc/>
    public bool IsLive => true;

    /// <inheritdoc/>
    public bool FiltersInKernel => true;

    /// <inheritdoc/>
    public BatchResult ReadBatch(out FrameBatch batch, TimeSpan timeout)
    {
        Compact();
        var count = LiveBatchLoop.Run(this, timeout);
        batch = count > 0 ? new FrameBatch(_staging, _frames.AsSpan(0, count)) : default;
        return count > 0 ? BatchResult.Frames : BatchResult.Timeout;
    }

    /// <inheritdoc/>
    bool ILiveRing.Holding => Array.Exists(_stagedCount, c => c > 0);

    /// <inheritdoc/>
    void ILiveRing.Refill()
    {
        for (var p = 0; p < _devices.Length; p++)
        {
            ReadAvailable(p);
        }

        _state!.RefreshIfDue();
    }

    /// <inheritdoc/>
    int ILiveRing.Merge() => Merge();

    /// <inheritdoc/>
    void ILiveRing.Wait(int milliseconds)
    {
        fixed (PollFd* fds = _pollFds)
        {
            poll(fds, (nuint)_pollFds.Length, milliseconds);
        }
    }

    /// <inheritdoc/>
    public SourceCounters GetCounters(int port) => _state!.Counters(port);

    /// <inheritdoc/>
    public PortLink GetLink(int port) => _state!.Link(port);

    /// <inheritdoc/>
    public void Dispose()
    {
        _state?.Dispose();
        foreach (var device in _devices)
        {
            device?.Close();
        }
    }

    private void ReadAvailable(int p)
    {
        var device = _devices[p];
        var region = p * RegionBytes;
        while (_stagedStart[p] + _stagedCount[p] < MaxFramesPerPort)
        {
            IntPtr header = default, data = default;
            if (device.GetNextPacketPointers(ref header, ref data) != 1)
            {
                return;
            }

            var h = (PcapPacketHeader*)header;
            var captured = (int)h->CapturedLength;
            var wire = (int)h->WireLength;
            if (_fill[p] + captured > RegionBytes)
            {
                // The region is full until the next batch frees it; libpcap keeps the rest in its own buffer.
                return;
            }

            new ReadOnlySpan<byte>((void*)data, captured).CopyTo(_staging.AsSpan(region + _fill[p]));
            var index = _stagedStart[p] + _stagedCount[p]++;
            _staged[p][index] = new FrameRecord
            {
                TimestampNs = (h->Seconds * 1_000_000_000L) + h->Fraction,
                Offset = region + _fill[p],
                CapturedLength = captured,
                WireLength = wire,
                Port = (ushort)p,
                Direction = FrameDirection.Inbound,
            };
            _fill[p] += captured;
            if (_stagedCount[p] == 1)
            {
                _heads[p] = _staged[p][_stagedStart[p]].TimestampNs;
            }
        }
    }

    private int Merge()
    {
        var horizon = ((DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100) - _windowNs;
        var count = 0;
        while (count < MaxFramesPerBatch)
        {
            var p = TimestampMerge.Pick(_heads, horizon);
            if (p < 0)
            {
                break;
            }

            _frames[count++] = _staged[p][_stagedStart[p]++];
            _heads[p] = --_stagedCount[p] > 0 ? _staged[p][_stagedStart[p]].TimestampNs : TimestampMerge.Empty;
        }

        TimestampMerge.RestoreOrder(_frames.AsSpan(0, count));
        return count;
    }

    private void Compact()
    {
        // Frames handed out in the last batch are done with; the ones still waiting move to the region's start.
        for (var p = 0; p < _devices.Length; p++)
        {
            var region = p * RegionBytes;
            var write = region;
            var frames = _staged[p];
            for (var i = 0; i < _stagedCount[p]; i++)
            {
                ref var f = ref frames[_stagedStart[p] + i];
                _staging.AsSpan(f.Offset, f.CapturedLength).CopyTo(_staging.AsSpan(write));
                f.Offset = write;
                write += f.CapturedLength;
                frames[i] = f;
            }

            _stagedStart[p] = 0;
            _fill[p] = write - region;
        }
    }

    private (long Received, long Dropped) ReadIncrement(int p)
    {
        var stats = default(LibpcapNative.PcapStat);
        if (_devices[p] is not { Opened: true } device || LibpcapNative.pcap_stats(device.Handle.DangerousGetHandle(), &stats) != 0)
        {
            return (0, 0);
        }

        // pcap_stats counts in 32 bits and wraps: the difference in unsigned arithmetic is right across a wrap.
        var increment = (unchecked(stats.Received - _lastReceived[p]), unchecked(stats.Dropped - _lastDropped[p]));
        _lastReceived[p] = stats.Received;
        _lastDropped[p] = stats.Dropped;
        return increment;
    }
}
