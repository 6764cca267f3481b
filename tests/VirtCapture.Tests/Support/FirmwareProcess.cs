using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace VirtCapture.Tests.Support;

/// <summary>
/// A running firmware daemon whose console we watch, and stop politely (SIGTERM, which works even when the test run
/// was started as a background job and SIGINT is ignored) or hard (SIGKILL).
/// </summary>
public sealed class FirmwareProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    public FirmwareProcess(string file, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        _process = Run.Start(file, args, environment);
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output => string.Join('\n', _lines);

    public int ExitCode => _process.ExitCode;

    /// <summary>The process id (with <c>ip netns exec</c>, the firmware's own: it execs).</summary>
    public int Pid => _process.Id;

    public void WaitFor(string text, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited && !Output.Contains(text, StringComparison.Ordinal))
            {
                Thread.Sleep(200);
                if (!Output.Contains(text, StringComparison.Ordinal))
                {
                    throw new Xunit.Sdk.XunitException($"the firmware exited ({_process.ExitCode}) before printing '{text}':\n{Output}");
                }
            }

            if (deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(30)))
            {
                throw new Xunit.Sdk.XunitException($"the firmware did not print '{text}':\n{Output}");
            }

            Thread.Sleep(50);
        }
    }

    /// <summary>SIGTERM, then wait for a clean exit.</summary>
    public void Stop()
    {
        Run.Program("kill", "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture));
        if (!_process.WaitForExit(30_000))
        {
            throw new Xunit.Sdk.XunitException($"the firmware did not stop on SIGTERM:\n{Output}");
        }

        _process.WaitForExit();
    }

    /// <summary>Sends a signal (STOP and CONT freeze and thaw the firmware: its kernel ring fills meanwhile).</summary>
    public void Signal(string signal) => Assert.Equal(0, Run.Program("kill", $"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture)).ExitCode);

    /// <summary>SIGKILL: the process gets no chance to close anything.</summary>
    public void KillHard()
    {
        Run.Program("kill", "-KILL", _process.Id.ToString(CultureInfo.InvariantCulture));
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }
}
