using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace VirtCapture.Tests.Support;

/// <summary>
/// A real Mosquitto broker of the test's own, on a free loopback port, with its own configuration file; with
/// <c>user</c>, anonymous clients are refused and only that user (password file made by mosquitto_passwd) gets in.
/// Stop and start it again on the same port to test a broker restart.
/// </summary>
public sealed class MosquittoBroker : IDisposable
{
    private readonly TempDirectory _dir = new();
    private Process? _process;

    public MosquittoBroker(string? user = null, string? password = null)
    {
        Port = FreePort.Next();
        // Run as root, mosquitto drops to its own user before reading the password file: that user must reach it.
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0b111_101_101);
        var config = new List<string> { $"listener {Port} 127.0.0.1", "persistence false", "log_dest stdout" };
        if (user is not null)
        {
            var passwords = _dir.File("passwords");
            var made = Run.Program("mosquitto_passwd", "-b", "-c", passwords, user, password!);
            Assert.True(made.ExitCode == 0, made.StdErr);
            File.SetUnixFileMode(passwords, (UnixFileMode)0b110_100_100);
            config.Add("allow_anonymous false");
            config.Add($"password_file {passwords}");
        }
        else
        {
            config.Add("allow_anonymous true");
        }

        File.WriteAllLines(_dir.File("mosquitto.conf"), config);
        Start();
    }

    public int Port { get; }

    public string Url => $"mqtt://127.0.0.1:{Port}";

    public void Start()
    {
        _process = Run.Start("mosquitto", ["-c", _dir.File("mosquitto.conf")]);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new Xunit.Sdk.XunitException($"mosquitto did not listen on {Port}");
    }

    public void Stop()
    {
        if (_process is { HasExited: false } process)
        {
            Run.Program("kill", "-TERM", process.Id.ToString(CultureInfo.InvariantCulture));
            process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        Stop();
        _dir.Dispose();
    }
}
