namespace VirtCapture.Tests.Support;

/// <summary>The box under 40,000 frames per second: enough to outrun a client that stops reading.</summary>
public sealed class FastBoxFixture : BoxFixture
{
    public FastBoxFixture()
        : base(40_000)
    {
    }
}
