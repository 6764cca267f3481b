namespace VirtCapture.Fleet;

/// <summary>The answer to a command, on its response topic with its correlation data.</summary>
/// <param name="Ok">Whether the box did it.</param>
/// <param name="Box">The box answering.</param>
/// <param name="Error">Why not, in one line.</param>
/// <param name="State">The capture state after it.</param>
/// <param name="Detail">What the command returns (the mark's number, the configuration).</param>
public sealed record FleetReply(bool Ok, string Box, string? Error = null, string? State = null, string? Detail = null);
