namespace VirtCapture.Pipeline;

/// <summary>
/// What a capture filters, built once from the user's filter and whatever narrows it (a VM selection): the expression
/// the kernel (or libpcap on a file) runs, the one written into the files' interface descriptions, and a check after
/// it for what BPF cannot say. The frame source and the capture filter both read this one value.
/// </summary>
/// <param name="User">The user's filter as given.</param>
/// <param name="Compiled">The filter compiled for the kernel and for files.</param>
/// <param name="Recorded">The filter in libpcap's words for the files' interface descriptions.</param>
/// <param name="Check">A check after the compiled filter, or null.</param>
internal sealed record EffectiveFilter(string User, string Compiled, string Recorded, IFrameCheck? Check)
{
    /// <summary>A user's filter and nothing else.</summary>
    public static EffectiveFilter Plain(string? user)
    {
        var trimmed = (user ?? string.Empty).Trim();
        return new EffectiveFilter(trimmed, trimmed, trimmed, null);
    }
}
