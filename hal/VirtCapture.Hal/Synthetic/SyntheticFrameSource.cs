using System.Diagnostics;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Hal.Synthetic;

/// <summary>
/// The simulated board's capture ports: a live source that produces <see cref="SyntheticTraffic"/> at a steady
/// rate on two ports, "A" (host side) and "B" (switch side), stamped with the wall clock.
/// </summary>
public sealed class SyntheticFrameSource : IFrameSource
{
    private const int MaxFramesPerBatch = 1024;
    private readonly SyntheticTraffic _traffic;
    private readonly double _framesPerSecond;
    private readonly TimeProvider _time;
    private readonly byte[] _buffer = new byte[MaxFramesPerBatch * SyntheticTraffic.MaxFrameLength];
    private readonly FrameRecord[] _frames = new FrameRecord[MaxFramesPerBatch];
    private readonly long[] _received = new long[2];
    private readonly long _startTicks;
    private long _produced;
    private long _lastTimestampNs;

    /// <summary>Creates the source.</summary>
    /// <param name="portNames">Names of the two ports.</param>
    /// <param name="framesPerSecond">Rate across both ports.</param>
    /// <param name="seed">Traffic seed.</param>
    /// <param name="time">Clock for timestamps.</param>
    public SyntheticFrameSource(IReadOnlyList<string> portNames, double framesPerSecond, ulong seed = 1, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(portNames);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(framesPerSecond, 0);
        if (portNames.Count != 2)
        {
            throw new ArgumentException("the simulated board has exactly two capture ports", nameof(portNames));
        }

        _traffic = new SyntheticTraffic(seed);
        _framesPerSecond = framesPerSecond;
        _time = time ?? TimeProvider.System;
        _startTicks = Stopwatch.GetTimestamp();
        Ports =
        [
            new CapturePort(portNames[0], $"simulated port {portNames[0]} (host side)", CapturePort.Ethernet),
            new CapturePort(portNames[1], $"simulated port {portNames[1]} (switch side)", CapturePort.Ethernet),
        ];
    }

    /// <inheritdoc/>
    public IReadOnlyList<CapturePort> Ports { get; }

    /// <inheritdoc/>
    public bool IsLive => true;

    /// <inheritdoc/>
    public bool FiltersInKernel => false;

    /// <inheritdoc/>
    public BatchResult ReadBatch(out FrameBatch batch, TimeSpan timeout)
    {
        var due = DueFrames();
        if (due == 0)
        {
            // Thread.Sleep cannot wait less than a millisecond (less is a yield, and the capture thread would spin
            // a core at rates above 1000 frames/s); above that rate a batch carries the millisecond's frames.
            // Frames that come due while it sleeps are the next call's, as a kernel ring's are: a drain after a stop
            // ends when nothing is waiting instead of taking new frames until its deadline.
            var wait = TimeSpan.FromMilliseconds(Math.Max(1, 1000 / _framesPerSecond));
            Thread.Sleep(wait < timeout ? wait : timeout);
            batch = default;
            return BatchResult.Timeout;
        }

        var count = (int)Math.Min(due, MaxFramesPerBatch);
        // Frames of one batch are a few ns apart and never before the previous batch's last frame.
        var now = Math.Max((_time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100, _lastTimestampNs + 1);
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            var length = _traffic.Next(_buffer.AsSpan(offset), out var port);
            _frames[i] = new FrameRecord
            {
                TimestampNs = now + i,
                Offset = offset,
                CapturedLength = length,
                WireLength = length,
                Port = port,
                Direction = FrameDirection.Inbound,
            };
            Interlocked.Increment(ref _received[port]);
            offset += length;
        }

        _produced += count;
        _lastTimestampNs = now + count - 1;
        batch = new FrameBatch(_buffer.AsSpan(0, offset), _frames.AsSpan(0, count));
        return BatchResult.Frames;
    }

    /// <inheritdoc/>
    public SourceCounters GetCounters(int port) => new(Interlocked.Read(ref _received[port]), 0);

    /// <inheritdoc/>
    public PortLink GetLink(int port) => PortLink.AlwaysUp;

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private long DueFrames()
    {
        var elapsed = Stopwatch.GetElapsedTime(_startTicks).TotalSeconds;
        return (long)(elapsed * _framesPerSecond) - _produced;
    }
}
