using System.Diagnostics;
using System.Globalization;

namespace VirtCapture.Tests.Lab.Fleet;

/// <summary>
/// Three boxes, each inline in a lab of its own (namespaces: a host, the box, a switch), and a management network
/// (its own namespace with a bridge) where Mosquitto and the engineer's tools run. A followed VM sends on host 1,
/// then migrates to host 2 (its RARP and its traffic there): the fleet sees the move, both boxes hold its frames, and
/// <c>fleet packets --vm</c> is exactly the union of the two boxes' own answers.
/// </summary>
public sealed class FleetLabTests : IDisposable
{
    private const string Vm = "00:50:56:9a:10:07";
    private readonly LabNetwork[] _labs = [new(), new(), new()];
    private readonly string _mgmt = $"vcf{Environment.ProcessId % 100000}m{Guid.NewGuid().ToString("N")[..4]}";
    private readonly TempDirectory _dir = new();
    private readonly List<FirmwareProcess> _boxes = [];
    private Process? _broker;

    public void Dispose()
    {
        foreach (var box in _boxes)
        {
            box.Dispose();
        }

        if (_broker is { HasExited: false })
        {
            _broker.Kill(entireProcessTree: true);
            _broker.WaitForExit();
        }

        Run.Program("ip", "netns", "del", _mgmt);
        foreach (var lab in _labs)
        {
            lab.Dispose();
        }

        _dir.Dispose();
    }

    [RootFact]
    public void A_followed_vm_migrating_between_inline_boxes_is_one_move_and_one_merged_capture()
    {
        Ip("netns", "add", _mgmt);
        Mgmt("ip", "link", "set", "lo", "up");
        Mgmt("ip", "link", "add", "br0", "type", "bridge");
        Mgmt("ip", "addr", "add", "198.51.100.1/24", "dev", "br0");
        Mgmt("ip", "link", "set", "br0", "up");
        for (var i = 0; i < _labs.Length; i++)
        {
            Ip("link", "add", $"m{i}", "netns", _mgmt, "type", "veth", "peer", "name", "m0", "netns", $"{_labs[i].Name}-box");
            Mgmt("ip", "link", "set", $"m{i}", "master", "br0", "up");
            Assert.Equal(0, _labs[i].Exec("box", "ip", "addr", "add", $"198.51.100.{11 + i}/24", "dev", "m0").ExitCode);
            Assert.Equal(0, _labs[i].Exec("box", "ip", "link", "set", "m0", "up").ExitCode);
        }

        var config = _dir.File("mosquitto.conf");
        File.WriteAllLines(config, ["listener 1883 198.51.100.1", "allow_anonymous true", "persistence false"]);
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0b111_101_101);
        _broker = Run.Start("ip", ["netns", "exec", _mgmt, "mosquitto", "-c", config]);
        Until(() => Run.Program("ip", "netns", "exec", _mgmt, "ss", "-ltn").StdOut.Contains("198.51.100.1:1883", StringComparison.Ordinal), "the broker listening");

        // Each box inline in its lab, in the fleet, its API on the management network; the fleet shares one token.
        for (var i = 0; i < _labs.Length; i++)
        {
            if (i > 0)
            {
                File.Copy(_labs[0].TokenFile, _labs[i].TokenFile, overwrite: true);
            }

            _boxes.Add(_labs[i].StartFirmware("AfPacket", "--Fleet:Broker=mqtt://198.51.100.1:1883", "--Fleet:Site=lab", $"--Fleet:Box=h{i + 1}",
                "--Fleet:KeepAliveSeconds=5", "--Fleet:StatusIntervalSeconds=1", $"--Management:Urls=http://198.51.100.{11 + i}:8080", "--Management:AllowPlainHttp=true"));
            _boxes[i].WaitFor("Fleet: connected to");
            if (i == 0)
            {
                Until(() => File.Exists(_labs[0].TokenFile), "the fleet's token");
            }
        }

        Assert.Equal(0, Cli("fleet", "follow", Vm).ExitCode);
        var from = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
        Send(_labs[0], rarp: false);
        Until(() => Cli("fleet", "vms").StdOut.Contains($"{Vm}  on box h1, port A", StringComparison.Ordinal), "the VM located on h1");
        Send(_labs[1], rarp: true);
        Until(() => Cli("fleet", "vms").StdOut.Contains($"{Vm}  on box h2, port A", StringComparison.Ordinal) && Cli("fleet", "vms").StdOut.Contains("(RARP)", StringComparison.Ordinal), "the VM located on h2 by its RARP");
        Thread.Sleep(1500);
        var to = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1;

        var fleet = Curl(_labs[2], "http://198.51.100.13:8080/api/fleet");
        Assert.Contains("\"box\":\"h2\"", fleet, StringComparison.Ordinal);
        Assert.Contains("\"how\":\"RARP\"", fleet, StringComparison.Ordinal);

        // Both boxes hold its frames; the merged capture is exactly their union, in time order.
        var merged = _dir.File("merged.pcapng");
        var run = Cli("fleet", "packets", "--vm", Vm, "--from", $"{from}", "--to", $"{to}", "-w", merged, "--token-file", _labs[0].TokenFile);
        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Contains("from 3 of 3 boxes", run.StdErr, StringComparison.Ordinal);
        var expected = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var own = _dir.File($"h{i + 1}.pcapng");
            Assert.Equal(0, Run.Program("ip", "netns", "exec", _mgmt, "curl", "-sf", "-o", own, "-H", $"Authorization: Bearer {File.ReadAllText(_labs[0].TokenFile).Trim()}",
                $"http://198.51.100.{11 + i}:8080/api/packets?from={from}&to={to}&filter=ether%20host%20{Vm}").ExitCode);
            var frames = Tshark.Fields(own, "udp.dstport == 2000 or arp", "frame.time_epoch", "frame.len", "ip.id");
            Assert.True(frames.Length >= 10, $"h{i + 1} holds the VM's frames ({frames.Length})");
            expected.AddRange(frames.Select(f => $"h{i + 1}|{f}"));
        }

        Tshark.AssertReadsCleanly(merged);
        var actual = Tshark.Fields(merged, "udp.dstport == 2000 or arp", "frame.interface_name", "frame.time_epoch", "frame.len", "ip.id")
            .Select(l => l.Split('\t')).Select(f => $"{f[0].Split(' ')[0]}|{string.Join('\t', f[1..])}").ToArray();
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
        var times = actual.Select(a => decimal.Parse(a.Split('|')[1].Split('\t')[0], CultureInfo.InvariantCulture)).ToArray();
        Assert.True(times.Zip(times.Skip(1)).All(p => p.First <= p.Second), "in time order");
    }

    // The VM on a host: (after a migration: its RARP first) then 10 frames, by Scapy onto the host's wire.
    private void Send(LabNetwork lab, bool rarp)
    {
        var announce = rarp ? $"[Ether(src='{Vm}', dst='ff:ff:ff:ff:ff:ff', type=0x8035) / ARP(op=3, hwsrc='{Vm}', hwdst='{Vm}', psrc='0.0.0.0', pdst='0.0.0.0')] + " : string.Empty;
        var send = lab.Exec("host", "/usr/bin/python3", "-c",
            $"from scapy.all import *; sendp({announce}[Ether(src='{Vm}', dst='02:00:00:00:00:02') / IP(src='10.7.0.7', dst='10.7.0.1', id=i) / UDP(dport=2000) / Raw(b'v' * 40) for i in range(10)], iface='host0', verbose=False, inter=0.01)");
        Assert.True(send.ExitCode == 0, send.StdErr);
    }

    private ProcessResult Cli(params string[] args) =>
        Run.Program("ip", ["netns", "exec", _mgmt, Support.Firmware.File, .. Support.Firmware.Exec, .. args, "--broker", "mqtt://198.51.100.1:1883", "--site", "lab"], TimeSpan.FromMinutes(2));

    private string Curl(LabNetwork lab, string url) =>
        Run.Program("ip", "netns", "exec", _mgmt, "curl", "-sf", "-H", $"Authorization: Bearer {File.ReadAllText(lab.TokenFile).Trim()}", url).StdOut;

    private void Mgmt(params string[] command) => Ip(["netns", "exec", _mgmt, .. command]);

    private static void Ip(params string[] args)
    {
        var result = Run.Program("ip", args);
        Assert.True(result.ExitCode == 0, $"ip {string.Join(' ', args)}: {result.StdErr}");
    }

    private static void Until(Func<bool> condition, string what, double seconds = 20)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                throw new Xunit.Sdk.XunitException($"timed out waiting for {what}");
            }

            Thread.Sleep(200);
        }
    }
}
