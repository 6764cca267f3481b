using System.Globalization;

namespace VirtCapture.Tests.Support;

/// <summary>Wireshark's command-line readers, the independent judges of every file we write.</summary>
public static class Tshark
{
    /// <summary>tshark and capinfos read the file to the end with no warning.</summary>
    public static void AssertReadsCleanly(string file)
    {
        var tshark = Run.Program("tshark", "-r", file, "-q");
        Assert.True(tshark.ExitCode == 0 && tshark.ErrorLines.Length == 0, $"tshark on {file}: exit {tshark.ExitCode}: {string.Join(" | ", tshark.ErrorLines)}");
        var capinfos = Run.Program("capinfos", file);
        Assert.True(capinfos.ExitCode == 0 && capinfos.ErrorLines.Length == 0, $"capinfos on {file}: exit {capinfos.ExitCode}: {capinfos.StdErr}");
    }

    /// <summary>Selected fields of every frame (optionally matching a display filter), tab-separated.</summary>
    public static string[] Fields(string file, string? displayFilter, params string[] fields)
    {
        var args = new List<string> { "-r", file, "-T", "fields", "-E", "occurrence=f" };
        if (displayFilter is not null)
        {
            args.AddRange(["-Y", displayFilter]);
        }

        foreach (var field in fields)
        {
            args.AddRange(["-e", field]);
        }

        var result = Run.Program("tshark", args, TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 0, $"tshark failed on {file}: {result.StdErr}");
        return result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static int Count(string file, string? displayFilter = null) => Fields(file, displayFilter, "frame.number").Length;

    /// <summary>capinfos' value for one key ("Number of packets", "File encapsulation").</summary>
    public static string CapinfosValue(string file, string key)
    {
        var result = Run.Program("capinfos", "-M", file);
        Assert.Equal(0, result.ExitCode);
        var line = result.Lines.FirstOrDefault(l => l.StartsWith(key + ":", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"capinfos printed no '{key}' for {file}:\n{result.StdOut}");
        return line[(key.Length + 1)..].Trim();
    }

    public static long CapinfosPackets(string file) => long.Parse(CapinfosValue(file, "Number of packets"), CultureInfo.InvariantCulture);
}
