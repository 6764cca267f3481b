using System.Diagnostics;

namespace VirtCapture.Tests.Support;

/// <summary>Runs real programs (tshark, capinfos, tcpdump, the firmware) and collects what they print.</summary>
public static class Run
{
    public static ProcessResult Program(string file, params string[] args) => Program(file, args, TimeSpan.FromMinutes(3));

    public static ProcessResult Program(string file, IEnumerable<string> args, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        using var process = Start(file, args, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout}");
        }

        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static Process Start(string file, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
    }
}
