using VirtCapture.Configuration;
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

    [Fact]
    public void The_ring_may_fill_the_space_above_the_floor_plus_its_own_files_at_most_MaxFiles_of_FileSizeMB()
    {
        var now = DateTimeOffset.UtcNow;
        // 1000 frames/s of 1000 bytes from a live VM; a VM gone since adds nothing to the rate.
        VmView[] vms = [new(VmTrafficFile.VMware, "VMware", "A", 0, [], now, now, 0, 0, 0, 0, 1000, 1_000_000, false),
            new(VmTrafficFile.Router, "", "A", 0, [], now, now, 0, 0, 0, 0, 5000, 9_000_000, true)];

        // 100 GB disk, 10 GB free, 5 % (5 GB) kept free, 2 GB of ring files the ring may delete: 7 GB.
        var free = CapacityAdvisor.ForRing(vms, new StorageOptions { MinFreePercent = 5, FileSizeMB = 100 }, 10_000_000_000, 100_000_000_000, 2_000_000_000, 262144, 24);
        Assert.Equal(7_000_000_000, free.UsableBytes);
        Assert.Equal(1000, free.FramesPerSecond);
        Assert.Equal(Math.Round(7_000_000_000 / (1000.0 * 1044) / 3600, 1), free.RetentionHours);

        // 10 files of 100 MB: 1 GB, whatever the disk has.
        var capped = CapacityAdvisor.ForRing(vms, new StorageOptions { MinFreePercent = 5, FileSizeMB = 100, MaxFiles = 10 }, 10_000_000_000, 100_000_000_000, 2_000_000_000, 262144, 24);
        Assert.Equal(1_000_000_000, capped.UsableBytes);
    }

    [Fact]
    public void Trigger_only_mode_holds_KeepSeconds_whatever_the_disk_and_the_advice_says_so()
    {
        var now = DateTimeOffset.UtcNow;
        VmView[] vms = [new(VmTrafficFile.VMware, "VMware", "A", 0, [], now, now, 0, 0, 0, 0, 10, 10_000, false)];

        // A terabyte free at 10 frames/s would hold years; KeepSeconds = 600 keeps ten minutes.
        var advice = CapacityAdvisor.ForRing(vms, new StorageOptions { KeepSeconds = 600, MinFreePercent = 0 }, 1_000_000_000_000, 1_000_000_000_000, 0, 262144, 1);
        Assert.Equal(Math.Round(600 / 3600.0, 1), advice.RetentionHours);
        Assert.Contains("Storage:KeepSeconds", advice.Advice, StringComparison.Ordinal);
        Assert.DoesNotContain("MaxFiles", advice.Advice, StringComparison.Ordinal);

        // With a shorter file limit as well, the shorter one decides and is the one named.
        var files = CapacityAdvisor.ForRing(vms, new StorageOptions { KeepSeconds = 600, MaxFiles = 2, FileDurationSeconds = 60 }, 1_000_000_000_000, 1_000_000_000_000, 0, 262144, 1);
        Assert.Equal(Math.Round(120 / 3600.0, 1), files.RetentionHours);
        Assert.Contains("Storage:MaxFiles", files.Advice, StringComparison.Ordinal);
    }
}
