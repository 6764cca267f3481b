using VirtCapture.Hal.Frames;

namespace VirtCapture.Pipeline;

/// <summary>A check after the compiled filter that BPF cannot express (a VM restricted to a VLAN).</summary>
internal interface IFrameCheck
{
    /// <summary>True when the frame is kept.</summary>
    bool Accepts(in FrameRecord record, ReadOnlySpan<byte> frame);
}
