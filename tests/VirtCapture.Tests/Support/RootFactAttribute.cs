using System.Runtime.InteropServices;

namespace VirtCapture.Tests.Support;

/// <summary>A test that needs root (network namespaces, mounts): skipped, with the reason, for anyone else.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!IsRoot)
        {
            Skip = "needs root (network namespaces, veth pairs, tmpfs mounts); CI runs as root";
        }
    }

    public static bool IsRoot => geteuid() == 0;

    [DllImport("libc")]
    private static extern uint geteuid();
}
