
namespace VirtCapture.Tests.Support;

/// <summary>A box of its own for the hardening tests: they change its settings and fill its directory with traps.</summary>
public sealed class HardenedBoxFixture : BoxFixture
{
    public HardenedBoxFixture()
        : base(3000)
    {
    }
}
