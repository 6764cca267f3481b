namespace VirtCapture.Tests.Support;

/// <summary>A theory that needs root (network namespaces): skipped with the reason otherwise.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!RootFactAttribute.IsRoot)
        {
            Skip = "needs root (network namespaces, veth pairs, tmpfs mounts); CI runs as root";
        }
    }
}
