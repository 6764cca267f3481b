using VirtCapture.Hal.Frames;
using VirtCapture.Hal.Synthetic;

namespace VirtCapture.Tests.Unit.Hal;

public sealed class SyntheticFrameSourceContractTests : FrameSourceContract
{
    protected override IFrameSource Create() => new SyntheticFrameSource(["A", "B"], 50_000);
}
