namespace VirtCapture.Tests.Support;

public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr)
{
    /// <summary>stderr without the lines tshark prints for every run as root.</summary>
    public string[] ErrorLines => StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Where(l => !l.StartsWith("Running as user \"root\"", StringComparison.Ordinal)).ToArray();

    public string[] Lines => StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
