namespace VirtCapture.Tests.Support;

/// <summary>
/// Two veth pairs in the test's own namespace for in-process capture: ports NAMEa/NAMEb, traffic injected on their
/// peers NAMEpa/NAMEpb with trafgen. No address on any of them.
/// </summary>
public sealed class VethPair : IDisposable
{
    private static int _counter;

    public VethPair()
    {
        var id = $"{Environment.ProcessId % 1000}{Interlocked.Increment(ref _counter)}";
        PortA = $"vc{id}a";
        PortB = $"vc{id}b";
        foreach (var (port, peer) in new[] { (PortA, PeerA), (PortB, PeerB) })
        {
            Check(Run.Program("ip", "link", "add", port, "type", "veth", "peer", "name", peer));
            foreach (var dev in new[] { port, peer })
            {
                File.WriteAllText($"/proc/sys/net/ipv6/conf/{dev}/disable_ipv6", "1");
                Check(Run.Program("ip", "link", "set", dev, "up"));
            }
        }
    }

    public string PortA { get; }

    public string PortB { get; }

    public string PeerA => PortA + "p";

    public string PeerB => PortB + "p";

    /// <summary>Starts trafgen on a peer in the background.</summary>
    public System.Diagnostics.Process Send(string peer, string config, int frames, string gap)
    {
        var conf = Path.Combine(Path.GetTempPath(), $"{peer}-{Guid.NewGuid():N}.cfg");
        File.WriteAllText(conf, config);
        return Run.Start("trafgen", ["--dev", peer, "--conf", conf, "--num", frames.ToString(System.Globalization.CultureInfo.InvariantCulture), "--gap", gap, "--cpus", "1"]);
    }

    public void Dispose()
    {
        Run.Program("ip", "link", "del", PortA);
        Run.Program("ip", "link", "del", PortB);
    }

    private static void Check(ProcessResult result) => Assert.True(result.ExitCode == 0, result.StdErr);
}
