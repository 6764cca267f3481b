using VirtCapture.Vm;

namespace VirtCapture.Tests.Unit.Vm;

/// <summary>The capacity advice: within every limit of the ring, one line per MAC.</summary>
public sealed class CapacityAdvisorTests
{
    [Fact]
    public void Capacity_advice_accounts_for_the_file_count_and_duration_and_lists_a_MAC_once()
    {
        var now = DateTimeOffset.UtcNow;
        VmView View(string mac, string port) => new(mac, "VMware", port, 0, [], now, now, 100, 100_000, 0, 0, 1000, 1_000_000, false);
        var vms = new[] { View(VmTrafficFile.Router, "A"), View(VmTrafficFile.Router, "B"), View(VmTrafficFile.VMware, "A") };

        // 20 files of 60 s keep 20 minutes, however large the disk.
        var advice = CapacityAdvisor.Advise(3000, 1000, 900_000_000_000, 262144, 24, vms, maxHours: 20 * 60 / 3600.0);
        Assert.Equal(0.3, advice.RetentionHours);
        Assert.Contains("Storage:MaxFiles", advice.Advice, StringComparison.Ordinal);
        Assert.DoesNotContain("287", advice.Advice, StringComparison.Ordinal);
        Assert.Equal(2, advice.Vms.Count);
        Assert.Single(advice.Vms, v => v.Mac == VmTrafficFile.Router);
    }

    [Fact]
    public void Without_a_file_limit_the_disk_and_the_rate_decide_and_a_smaller_snaplen_is_offered()
    {
        // 1 GB usable, 10,000 frames/s of 1,000 bytes (+44 bytes of block each): about 0.027 h.
        var advice = CapacityAdvisor.Advise(10_000, 1000, 1_000_000_000, 262144, 1, []);
        Assert.Equal(Math.Round(1_000_000_000 / (10_000.0 * 1044) / 3600, 1), advice.RetentionHours);
        Assert.Contains(advice.Snaplens, s => s.Snaplen == 64 && s.RetentionHours > advice.RetentionHours);
    }
}
