using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Triggers;

/// <summary>Event triggers: a VM announcing itself makes an incident whose comment stands on the announcing frame.</summary>
public sealed class EventTriggerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Each_vm_announcement_makes_an_incident_commented_on_the_announcing_frame()
    {
        var replay = VmTrafficFile.Write(_dir.File("vms.pcap"));
        using var box = new TriggerBox(replay, ["announced: event=vm; pre=1s; post=1s; holdoff=0"]);
        var incidents = box.WaitForComplete(5);
        Assert.Equal(5, incidents.Length);
        foreach (var incident in incidents)
        {
            var file = box.Download(incident.GetProperty("name").GetString()!);
            Tshark.AssertReadsCleanly(file);
            var comment = Assert.Single(Tshark.Fields(file, "frame.comment", "frame.comment"));
            Assert.StartsWith("TRIGGER announced: trigger announced (event vm; 1 s before, 1 s after); VM ", comment, StringComparison.Ordinal);
            Assert.Contains(" announced on port if0", comment, StringComparison.Ordinal);
            // The comment stands on the announcement itself: RARP, gratuitous ARP or an unsolicited neighbour advertisement.
            var announcing = Tshark.Fields(file, "frame.comment and (arp.opcode == 3 or arp.opcode == 1 or icmpv6.type == 136)", "frame.number");
            Assert.Single(announcing);
        }
    }
}
