namespace VirtCapture.Management.Contracts;

/// <summary>POST /api/sim/buttons/{button}'s body.</summary>
public sealed record ButtonRequest(string? Action);
