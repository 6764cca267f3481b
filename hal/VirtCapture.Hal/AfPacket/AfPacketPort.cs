using System.Runtime.InteropServices;
using VirtCapture.Hal.Bpf;
using VirtCapture.Hal.Interop;
using static VirtCapture.Hal.Interop.LibcNative;

namespace VirtCapture.Hal.AfPacket;

/// <summary>
/// One capture port's AF_PACKET socket with a TPACKET_V3 receive ring, mapped at an address the caller chooses
/// so that both ports' rings form one contiguous region. The socket is created with no protocol and the kernel
/// filter attached before bind, so no unfiltered frame ever enters the ring.
/// </summary>
internal sealed unsafe class AfPacketPort : IDisposable
{
    private readonly string _name;

    /// <summary>Opens the socket, attaches the filter, sets up the ring and maps it at <paramref name="address"/>.</summary>
    public AfPacketPort(string name, string iface, BpfFilterProgram filter, int blockSize, int blockCount, int blockTimeoutMs, byte* address)
    {
        _name = name;
        Interface = iface;
        BlockSize = blockSize;
        BlockCount = blockCount;
        var ifIndex = (int)if_nametoindex(iface);
        if (ifIndex == 0)
        {
            throw new CaptureDeviceException($"port {name}: interface {iface} does not exist");
        }

        Fd = socket(AF_PACKET, SOCK_RAW, 0);
        if (Fd < 0)
        {
            throw CaptureDeviceException.FromErrno(name, iface, "socket(AF_PACKET)");
        }

        try
        {
            SetInt(SOL_PACKET, PACKET_VERSION, TPACKET_V3, "PACKET_VERSION");
            AttachFilter(filter);
            // Forwarded frames leave through the other port: seeing them there again would record them twice.
            SetInt(SOL_PACKET, PACKET_IGNORE_OUTGOING, 1, "PACKET_IGNORE_OUTGOING");
            var request = new TpacketReq3
            {
                BlockSize = (uint)blockSize,
                BlockCount = (uint)blockCount,
                FrameSize = 2048,
                FrameCount = (uint)(blockSize / 2048 * blockCount),
                RetireBlockTimeoutMs = (uint)blockTimeoutMs,
            };
            Check(setsockopt(Fd, SOL_PACKET, PACKET_RX_RING, &request, (uint)sizeof(TpacketReq3)), "PACKET_RX_RING");
            Ring = (byte*)mmap(address, (nuint)RingBytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, Fd, 0);
            if (Ring == (byte*)-1)
            {
                throw CaptureDeviceException.FromErrno(name, iface, "mmap of the receive ring");
            }

            var sll = new SockaddrLl { Family = AF_PACKET, Protocol = ETH_P_ALL_BE, IfIndex = ifIndex };
            Check(bind(Fd, &sll, (uint)sizeof(SockaddrLl)), "bind");
            var mreq = new PacketMreq { IfIndex = ifIndex, Type = PACKET_MR_PROMISC };
            Check(setsockopt(Fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mreq, (uint)sizeof(PacketMreq)), "PACKET_ADD_MEMBERSHIP (promiscuous)");
            Clock = ChooseClock();
        }
        catch
        {
            close(Fd);
            throw;
        }
    }

    /// <summary>The interface name.</summary>
    public string Interface { get; }

    /// <summary>Which clock stamps this port's frames, and why, for the interface's description.</summary>
    public string Clock { get; }

    /// <summary>The socket.</summary>
    public int Fd { get; }

    /// <summary>Start of the mapped ring.</summary>
    public byte* Ring { get; }

    /// <summary>Bytes of one block.</summary>
    public int BlockSize { get; }

    /// <summary>Blocks in the ring.</summary>
    public int BlockCount { get; }

    /// <summary>Bytes of the whole ring.</summary>
    public long RingBytes => (long)BlockSize * BlockCount;

    /// <summary>Start of block <paramref name="index"/>.</summary>
    public byte* Block(int index) => Ring + ((long)index * BlockSize);

    /// <summary>True when block <paramref name="index"/> belongs to user space (TP_STATUS_USER).</summary>
    public bool IsReady(int index) => (Volatile.Read(ref ((TpacketBlockDescriptor*)Block(index))->BlockStatus) & TpacketBlockDescriptor.StatusUser) != 0;

    /// <summary>Gives block <paramref name="index"/> back to the kernel.</summary>
    public void Release(int index) => Volatile.Write(ref ((TpacketBlockDescriptor*)Block(index))->BlockStatus, 0u);

    /// <summary>Reads and resets the kernel's counters (tp_packets includes tp_drops).</summary>
    public (uint Packets, uint Drops) ReadStatistics()
    {
        var stats = default(TpacketStatsV3);
        var length = (uint)sizeof(TpacketStatsV3);
        return getsockopt(Fd, SOL_PACKET, PACKET_STATISTICS, &stats, &length) == 0 ? (stats.Packets, stats.Drops) : (0u, 0u);
    }

    /// <summary>Clears a pending socket error (ENETDOWN while the link is down) so poll stops reporting it.</summary>
    public int TakeError()
    {
        var error = 0;
        var length = (uint)sizeof(int);
        getsockopt(Fd, SOL_SOCKET, SO_ERROR, &error, &length);
        return error;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // The caller unmaps the whole region; closing the socket frees the ring's pages.
        close(Fd);
    }

    // Hardware stamps are taken where the frame enters the NIC, before interrupt moderation and the kernel's queues,
    // so two ports' frames keep their true order; the kernel's clock is the fallback, named with its reason.
    private string ChooseClock()
    {
        NicTimestamping nic;
        try
        {
            nic = NicTimestamping.Probe(_name, Interface);
        }
        catch (CaptureDeviceException e)
        {
            return $"kernel clock on arrival ({e.Message})";
        }

        if (!nic.StampsEveryFrame)
        {
            return "kernel clock on arrival (the NIC has no hardware timestamps for every frame)";
        }

        var refused = NicTimestamping.EnableReceive(Fd, Interface);
        if (refused is not null)
        {
            return $"kernel clock on arrival ({refused})";
        }

        var stamps = (int)NicTimestamping.RawHardware;
        if (setsockopt(Fd, SOL_PACKET, PACKET_TIMESTAMP, &stamps, sizeof(int)) != 0)
        {
            return $"kernel clock on arrival (PACKET_TIMESTAMP refused, errno {Marshal.GetLastPInvokeError()})";
        }

        return $"NIC hardware clock (/dev/ptp{nic.PhcIndex}, raw; keep it in step with the system clock, e.g. phc2sys)";
    }

    private void AttachFilter(BpfFilterProgram filter)
    {
        var instructions = filter.Instructions;
        if (instructions.IsEmpty)
        {
            return;
        }

        fixed (BpfInstruction* code = instructions)
        {
            var program = new SockFprog { Length = (ushort)instructions.Length, Filter = code };
            Check(setsockopt(Fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, (uint)sizeof(SockFprog)), $"SO_ATTACH_FILTER ('{filter.Expression}')");
        }
    }

    private void SetInt(int level, int option, int value, string what)
    {
        Check(setsockopt(Fd, level, option, &value, sizeof(int)), what);
    }

    private void Check(int result, string call)
    {
        if (result != 0)
        {
            throw CaptureDeviceException.FromErrno(_name, Interface, call);
        }
    }
}
