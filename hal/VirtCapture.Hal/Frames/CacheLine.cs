using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace VirtCapture.Hal.Frames;

/// <summary>
/// Asks the CPU for a cache line before it is read: the capture thread reads frames another core (the kernel's
/// receive path) wrote, and a walk that finds the next frame's place in the one before waits for each line in turn. x86 only (.NET has no prefetch for arm64, whose hardware prefetcher follows such walks well): elsewhere a
/// no-op the compiler removes.
/// </summary>
public static class CacheLine
{
    /// <summary>Prefetches the line holding <paramref name="address"/> into every cache level.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch(void* address)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(address);
        }
    }
}
