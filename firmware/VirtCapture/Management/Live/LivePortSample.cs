namespace VirtCapture.Management.Live;

/// <summary>One port in one sample: rates over the last interval and the cumulative counters they came from.</summary>
/// <param name="Name">Port name.</param>
/// <param name="FramesPerSecond">Frames received per second.</param>
/// <param name="Mbps">Megabits per second of the frames the filter accepted (wire length).</param>
/// <param name="KernelDropsPerSecond">Frames the kernel dropped per second.</param>
/// <param name="BufferDropsPerSecond">Frames the buffer (or a stopped ring) lost per second.</param>
/// <param name="Received">Frames received since the capture started (as <c>/api/status</c> counts them).</param>
/// <param name="KernelDropped">Kernel drops since the capture started.</param>
/// <param name="BufferDropped">Buffer drops since the capture started.</param>
/// <param name="Written">Frames written since the capture started.</param>
/// <param name="LinkUp">Whether the link is up.</param>
/// <param name="FilteredOut">Frames the user-space filter rejected since the capture started.</param>
/// <param name="SpeedMbps">Link speed in Mb/s, or 0 when unknown.</param>
/// <param name="LinkChanges">Carrier changes the port has seen (a flap between two samples shows here).</param>
public sealed record LivePortSample(string Name, double FramesPerSecond, double Mbps, double KernelDropsPerSecond, double BufferDropsPerSecond, long Received, long KernelDropped, long BufferDropped, long Written, bool LinkUp, long FilteredOut, int SpeedMbps, long LinkChanges);
