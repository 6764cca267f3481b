namespace VirtCapture.Management.Live;

/// <summary>What one server-sent event carries: samples and markers the client has not had yet.</summary>
/// <param name="IntervalMs">The sampling interval.</param>
/// <param name="Samples">New samples, oldest first.</param>
/// <param name="Markers">New markers, oldest first.</param>
public sealed record LiveUpdate(int IntervalMs, IReadOnlyList<LiveSample> Samples, IReadOnlyList<LiveMarker> Markers);
