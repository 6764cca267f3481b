namespace VirtCapture.Management.Live;

/// <summary>A VM's rate in one sample (the page's sparklines).</summary>
/// <param name="Mac">The VM's MAC.</param>
/// <param name="FramesPerSecond">Frames per second, sent and received.</param>
public sealed record LiveVmRate(string Mac, double FramesPerSecond);
