namespace VirtCapture.Hal.Frames;

/// <summary>A port a source captures on; becomes one pcapng interface (IDB).</summary>
/// <param name="Name">Short name shown to the user and written as if_name ("A", "B", "eth1").</param>
/// <param name="Description">Longer text written as if_description.</param>
/// <param name="LinkType">libpcap link type (1 = Ethernet).</param>
public sealed record CapturePort(string Name, string Description, int LinkType)
{
    /// <summary>The libpcap link type of Ethernet.</summary>
    public const int Ethernet = 1;
}
