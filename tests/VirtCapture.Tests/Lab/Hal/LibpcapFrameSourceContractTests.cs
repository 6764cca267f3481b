using VirtCapture.Hal.Frames;
using VirtCapture.Hal.Libpcap;

namespace VirtCapture.Tests.Lab.Hal;

[NeedsRoot]
public sealed class LibpcapFrameSourceContractTests : LiveFrameSourceContract
{
    protected override IFrameSource Open(IReadOnlyList<(string Name, string Interface)> ports, string filter) => new LibpcapFrameSource(ports, filter, 4);
}
