namespace VirtCapture.Tests.Support;

/// <summary>
/// An engineer's laptop for the extcap tests: a temporary HOME (Wireshark's and the extcap's configuration and cache
/// in it), and the extcap and tshark run there.
/// </summary>
public sealed class ExtcapLaptop : IDisposable
{
    private readonly TempDirectory _home = new();

    /// <summary>The HOME.</summary>
    public string Path => _home.Path;

    /// <summary>The variables that point the extcap and Wireshark at this HOME.</summary>
    public Dictionary<string, string> Environment => new() { ["HOME"] = _home.Path, ["XDG_CONFIG_HOME"] = System.IO.Path.Combine(_home.Path, ".config"), ["XDG_CACHE_HOME"] = System.IO.Path.Combine(_home.Path, ".cache") };

    /// <summary>A path in the HOME.</summary>
    public string File(string name) => _home.File(name);

    /// <summary><c>virtcapture extcap ARGS</c>, whatever its exit code.</summary>
    public ProcessResult Run(params string[] args) =>
        Support.Run.Program(Support.Firmware.File, [.. Support.Firmware.Exec, "extcap", .. args], TimeSpan.FromSeconds(60), Environment);

    /// <summary><c>virtcapture extcap ARGS</c>, which must succeed.</summary>
    public ProcessResult Extcap(params string[] args)
    {
        var result = Run(args);
        Assert.True(result.ExitCode == 0, result.StdErr);
        return result;
    }

    /// <summary>tshark with this HOME (so it finds the installed extcap).</summary>
    public ProcessResult Tshark(params string[] args) => Support.Run.Program("tshark", args, TimeSpan.FromSeconds(60), Environment);

    public void Dispose() => _home.Dispose();
}
