namespace VirtCapture.Pcapng;

/// <summary>What a repair kept.</summary>
/// <param name="FinalPath">The repaired file.</param>
/// <param name="Blocks">Whole blocks kept.</param>
/// <param name="Frames">Frames kept.</param>
/// <param name="CutBytes">Damaged bytes cut from the end.</param>
internal sealed record RepairResult(string FinalPath, long Blocks, long Frames, long CutBytes);
