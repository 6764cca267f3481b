using System.Diagnostics;

namespace VirtCapture.Tests.Support;

/// <summary>Runs real programs (tshark, capinfos, tcpdump, the firmware) and collects what they print.</summary>
public static class Run
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, Process> Started = new();

    static Run()
    {
        // Whatever happens to a test (a failed assertion, a timeout, the runner ending), nothing it started outlives
        // the test process: no daemon left writing captures in the background.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    /// <summary>Kills every process the tests started that is still running.</summary>
    public static void KillAll()
    {
        foreach (var process in Started.Values)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }

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

        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        Started[process.Id] = process;
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => Started.TryRemove(process.Id, out _);
        return process;
    }
}
