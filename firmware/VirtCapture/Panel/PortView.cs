namespace VirtCapture.Panel;

/// <summary>A capture port as the panel shows it.</summary>
/// <param name="Up">Link up.</param>
/// <param name="Traffic">Frames arrived since the last look.</param>
public readonly record struct PortView(bool Up, bool Traffic);
