namespace VirtCapture.Management.Contracts;

/// <summary>A simulated button press.</summary>
public sealed record ButtonResponse(string Button, string Action);
