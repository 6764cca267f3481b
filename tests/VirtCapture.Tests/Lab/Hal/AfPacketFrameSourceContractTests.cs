using VirtCapture.Hal.AfPacket;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Tests.Lab.Hal;

[NeedsRoot]
public sealed class AfPacketFrameSourceContractTests : LiveFrameSourceContract
{
    protected override IFrameSource Open(IReadOnlyList<(string Name, string Interface)> ports, string filter) => new AfPacketFrameSource(ports, filter, 4);
}
