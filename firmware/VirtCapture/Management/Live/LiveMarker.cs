namespace VirtCapture.Management.Live;

/// <summary>Something to mark on the graphs' and the timeline's time axis.</summary>
/// <param name="Sequence">Increases by one per marker.</param>
/// <param name="TimeMs">When, in milliseconds since 1970 (UTC).</param>
/// <param name="Kind">drop, link, mark, capture, trigger, incident, fault, session.</param>
/// <param name="Text">What happened, in one line.</param>
/// <param name="Port">The port, where it is one port's.</param>
public sealed record LiveMarker(long Sequence, long TimeMs, string Kind, string Text, string? Port = null);
