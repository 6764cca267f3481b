using VirtCapture.Hal.Frames;

namespace VirtCapture.Tests.Support;

/// <summary>What every frame source promises the capture loop; each implementation runs these.</summary>
public abstract class FrameSourceContract
{
    protected abstract IFrameSource Create();

    [ContractFact]
    public void Batches_describe_frames_inside_their_own_memory()
    {
        using var source = Create();
        Assert.NotEmpty(source.Ports);
        var delivered = new long[source.Ports.Count];
        var total = 0;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (total < 2000 && DateTime.UtcNow < deadline)
        {
            var result = source.ReadBatch(out var batch, TimeSpan.FromMilliseconds(100));
            if (result == BatchResult.EndOfInput)
            {
                break;
            }

            foreach (ref readonly var frame in batch.Frames)
            {
                Assert.InRange(frame.Port, 0, source.Ports.Count - 1);
                Assert.InRange(frame.CapturedLength, 1, frame.WireLength);
                Assert.True(frame.Offset >= 0 && frame.Offset + frame.CapturedLength <= batch.Data.Length);
                Assert.True(frame.TimestampNs > 1_600_000_000_000_000_000L, "timestamps are ns since 1970");
                delivered[frame.Port]++;
                total++;
            }
        }

        Assert.True(total >= 2000, $"only {total} frames arrived");
        for (var p = 0; p < delivered.Length; p++)
        {
            // A live source's kernel has also counted what is queued but not yet handed out.
            var received = source.GetCounters(p).Received;
            Assert.True(source.IsLive ? received >= delivered[p] : received == delivered[p], $"port {p}: received {received}, delivered {delivered[p]}");
        }
    }

    [ContractFact]
    public void Timestamps_never_go_backwards_within_a_port()
    {
        using var source = Create();
        var last = new long[source.Ports.Count];
        var seen = 0;
        while (seen < 1000 && source.ReadBatch(out var batch, TimeSpan.FromMilliseconds(100)) != BatchResult.EndOfInput)
        {
            foreach (ref readonly var frame in batch.Frames)
            {
                Assert.True(frame.TimestampNs >= last[frame.Port]);
                last[frame.Port] = frame.TimestampNs;
                seen++;
            }
        }
    }
}
