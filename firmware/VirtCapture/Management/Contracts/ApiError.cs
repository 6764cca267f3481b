namespace VirtCapture.Management.Contracts;

/// <summary>An error answer: one line, and every failure when there were several.</summary>
public sealed record ApiError(string Error, IReadOnlyList<string>? Errors = null);
