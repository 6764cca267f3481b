using VirtCapture.Hal.Frames;
using VirtCapture.Hal.Replay;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Unit.Hal;

public sealed class ReplayFrameSourceContractTests : FrameSourceContract, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    protected override IFrameSource Create() => new ReplayFrameSource(TrafficFile.Generate(_dir.File($"{Guid.NewGuid()}.pcap"), 3000));

    [Fact]
    public void Replay_ends_and_reports_end_of_input()
    {
        using var source = Create();
        var frames = 0;
        while (source.ReadBatch(out var batch, TimeSpan.Zero) == BatchResult.Frames)
        {
            frames += batch.Frames.Length;
        }

        Assert.Equal(3000, frames);
        Assert.False(source.IsLive);
    }
}
