using VirtCapture.Hal.Frames;
using VirtCapture.Pipeline;

namespace VirtCapture.Daemon;

/// <summary>One port in a <see cref="BoxSnapshot"/>: its counters per stage, what it is, and its link.</summary>
/// <param name="Counters">Frames per stage.</param>
/// <param name="Description">The interface it captures.</param>
/// <param name="Link">Carrier, speed and changes.</param>
internal sealed record PortSnapshot(PortCounters Counters, string Description, PortLink Link);
