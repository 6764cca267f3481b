using VirtCapture.Hal.Frames;

namespace VirtCapture.Tests.Support;

/// <summary>
/// A live source over memory that delivers one huge burst at once, far faster than any disk, then after a pause one
/// frame per port: the traffic that makes a capture buffer overflow on purpose.
/// </summary>
public sealed class BurstFrameSource : IFrameSource
{
    private readonly byte[] _data;
    private readonly FrameRecord[] _burst;
    private readonly FrameRecord[] _tail;
    private readonly long[] _received = new long[2];
    private int _stage;
    private DateTime _tailAt;

    public BurstFrameSource(int frames, int frameLength)
    {
        _data = new byte[frameLength];
        _data.AsSpan().Fill(0x5a);
        _burst = Enumerable.Range(0, frames).Select(i => Record(i, frameLength, (ushort)(i % 2))).ToArray();
        _tail = [Record(frames, frameLength, 0), Record(frames + 1, frameLength, 1)];
    }

    public IReadOnlyList<CapturePort> Ports { get; } = [new("A", "burst A", CapturePort.Ethernet), new("B", "burst B", CapturePort.Ethernet)];

    public bool IsLive => true;

    public bool FiltersInKernel => false;

    public BatchResult ReadBatch(out FrameBatch batch, TimeSpan timeout)
    {
        switch (_stage)
        {
            case 0:
                _stage = 1;
                _tailAt = DateTime.UtcNow.AddMilliseconds(500);
                Count(_burst);
                batch = new FrameBatch(_data, _burst);
                return BatchResult.Frames;
            case 1 when DateTime.UtcNow >= _tailAt:
                _stage = 2;
                Count(_tail);
                batch = new FrameBatch(_data, _tail);
                return BatchResult.Frames;
            default:
                Thread.Sleep(10);
                batch = default;
                return BatchResult.Timeout;
        }
    }

    public SourceCounters GetCounters(int port) => new(Interlocked.Read(ref _received[port]), 0);

    public PortLink GetLink(int port) => PortLink.AlwaysUp;

    public void Dispose()
    {
    }

    private void Count(FrameRecord[] frames)
    {
        foreach (var f in frames)
        {
            Interlocked.Increment(ref _received[f.Port]);
        }
    }

    private static FrameRecord Record(int i, int length, ushort port) => new()
    {
        TimestampNs = TrafficFile.Epoch + i,
        Offset = 0,
        CapturedLength = length,
        WireLength = length,
        Port = port,
        Direction = FrameDirection.Inbound,
    };
}
