namespace VirtCapture.Hal.Frames;

/// <summary>
/// The frame-source seam: where frames enter the box. Implementations are named by mechanism (AfPacket, Libpcap,
/// Replay, Synthetic). A source hands out whole batches over its own memory so that the capture loop touches each
/// frame once, with no per-frame allocation and no per-frame system call.
/// </summary>
public interface IFrameSource : IDisposable
{
    /// <summary>The ports this source captures, indexed by <see cref="FrameRecord.Port"/>.</summary>
    IReadOnlyList<CapturePort> Ports { get; }

    /// <summary>
    /// The most ports <see cref="Ports"/> can grow to while capturing (sessions found in mirror traffic, interfaces a
    /// file declares late). A port is in <see cref="Ports"/> before its first frame, and its index never changes.
    /// </summary>
    int MaxPorts => Ports.Count;

    /// <summary>
    /// True for a live source that must never be slowed (frames that cannot be buffered are dropped and counted);
    /// false for a file, which is simply read more slowly when the disk falls behind.
    /// </summary>
    bool IsLive { get; }

    /// <summary>True when the source already applied the capture filter in the kernel.</summary>
    bool FiltersInKernel { get; }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the next batch. The batch is valid until the next call.
    /// </summary>
    BatchResult ReadBatch(out FrameBatch batch, TimeSpan timeout);

    /// <summary>Reads the counters of one port. Safe to call from any thread.</summary>
    SourceCounters GetCounters(int port);

    /// <summary>The link state of one port. Safe to call from any thread; costs no system call.</summary>
    PortLink GetLink(int port);
}
