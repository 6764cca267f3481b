using System.Globalization;
using System.Text.Json;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Lab.Triggers;

/// <summary>
/// A trigger in the lab: the box inline on AF_PACKET, VMs' traffic through it, one TCP reset on VLAN 20 (the kernel
/// strips the tag; the rule must still see it): the incident holds exactly the ring's frames of its window.
/// </summary>
[NeedsRoot]
public sealed class TriggerLabTests : IDisposable
{
    private const string Reset = """
        /* A TCP reset from the VMware VM on VLAN 20. */
        {
          eth(da=3c:fd:fe:00:00:01, sa=00:50:56:9a:10:01),
          vlan(id=20),
          ipv4(sa=10.20.0.11, da=10.20.0.1, ttl=64),
          tcp(sp=40000, dp=3260, rst, ack)
        }
        """;

    private readonly LabNetwork _lab = new();

    public void Dispose() => _lab.Dispose();

    [RootFact]
    public async Task A_reset_on_a_vlan_makes_an_incident_of_the_ring_frames_around_it()
    {
        var vms = File.ReadAllText(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../hardware/lab/traffic/vms.cfg")));
        JsonElement incident;
        using (var firmware = _lab.StartFirmware("AfPacket", "--Capture:Triggers:0=iscsi-reset: filter=vlan 20 and tcp[tcpflags] & tcp-rst != 0; pre=2s; post=2s", "--Storage:FileDurationSeconds=1"))
        {
            firmware.WaitFor("Capture started");
            var traffic = Task.Run(() => _lab.Send("host", vms, 6000, "1ms"));
            await Task.Delay(3000);
            _lab.Send("host", Reset, 1);
            await traffic;
            firmware.WaitFor("Trigger iscsi-reset fired");
            firmware.WaitFor("Incident incident-", TimeSpan.FromSeconds(20));
            using var list = JsonDocument.Parse(_lab.Api("GET", "/api/incidents"));
            incident = Assert.Single(list.RootElement.EnumerateArray()).Clone();
            firmware.Stop();
        }

        Assert.True(incident.GetProperty("complete").GetBoolean());
        var name = incident.GetProperty("name").GetString()!;
        var file = Path.Combine(_lab.Captures, "incidents", name + ".pcapng");
        Tshark.AssertReadsCleanly(file);
        var ring = Path.Combine(_lab.Captures, "ring.pcapng");
        Assert.Equal(0, Run.Program("mergecap", ["-w", ring, .. _lab.Files()]).ExitCode);
        var trigger = incident.GetProperty("triggerNs").GetInt64();
        var window = string.Create(CultureInfo.InvariantCulture, $"frame.time_epoch >= {Seconds(trigger - 2_000_000_000)} && frame.time_epoch <= {Seconds(trigger + 2_000_000_000)}");
        var expected = Tshark.Fields(ring, window, "frame.time_epoch", "eth.src", "vlan.id", "frame.len");
        Assert.True(expected.Length > 2000, $"4 s of 1 ms traffic, got {expected.Length}");
        Assert.Equal(expected, Tshark.Fields(file, null, "frame.time_epoch", "eth.src", "vlan.id", "frame.len"));
        var comment = Assert.Single(Tshark.Fields(file, "frame.comment", "vlan.id", "tcp.flags.reset", "frame.comment"));
        Assert.StartsWith("20\t1\tTRIGGER iscsi-reset: trigger iscsi-reset (filter 'vlan 20 and tcp[tcpflags] & tcp-rst != 0'", comment, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task A_link_going_down_is_an_event_trigger_whose_incident_says_so()
    {
        var vms = File.ReadAllText(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../hardware/lab/traffic/vms.cfg")));
        using var firmware = _lab.StartFirmware("AfPacket", "--Capture:Triggers:0=uplink: event=link-down; pre=2s; post=1s", "--Storage:FileDurationSeconds=1");
        firmware.WaitFor("Capture started");
        var traffic = Task.Run(() => _lab.Send("host", vms, 2500, "1ms"));
        await Task.Delay(2000);
        // The host's end of the cable goes down: port A loses its carrier mid-traffic.
        Assert.Equal(0, _lab.Exec("host", "ip", "link", "set", "host0", "down").ExitCode);
        try
        {
            await traffic;
        }
        catch (Xunit.Sdk.XunitException)
        {
            // trafgen may or may not complain about the link it was sending on going down.
        }

        firmware.WaitFor("Trigger uplink fired", TimeSpan.FromSeconds(10));
        firmware.WaitFor("Incident incident-", TimeSpan.FromSeconds(20));
        using var list = JsonDocument.Parse(_lab.Api("GET", "/api/incidents"));
        var incident = Assert.Single(list.RootElement.EnumerateArray());
        Assert.StartsWith("port A link down", incident.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var file = Path.Combine(_lab.Captures, "incidents", incident.GetProperty("name").GetString() + ".pcapng");
        Tshark.AssertReadsCleanly(file);
        Assert.True(Tshark.Count(file) > 500, "the 2 s of traffic before the link went down");
        var comment = Assert.Single(Tshark.Fields(file, "frame.comment contains \"TRIGGER uplink\"", "frame.comment"));
        Assert.Contains("(event link-down; 2 s before, 1 s after); port A link down", comment, StringComparison.Ordinal);
    }

    private static string Seconds(long ns) => string.Create(CultureInfo.InvariantCulture, $"{ns / 1_000_000_000}.{ns % 1_000_000_000:D9}");
}
