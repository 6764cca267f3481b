using VirtCapture.Pipeline;

namespace VirtCapture.Tests.Unit.Pipeline;

/// <summary>The ring's retention as a pure function: every limit, protection and policy, on a fake disk.</summary>
public sealed class RetentionPolicyTests
{
    private static readonly RingFile[] Files = [new("/r/vc_000001_a.pcapng", 1), new("/r/vc_000002_a.pcapng", 2), new("/r/vc_000003_a.pcapng", 3)];

    private static RingSettings Settings(int maxFiles = 0, double minFree = 0, StorageFullPolicy onFull = StorageFullPolicy.Overwrite) =>
        new() { Directory = "/r", MaxFiles = maxFiles, MinFreePercent = minFree, OnFull = onFull };

    [Fact]
    public void Within_every_limit_the_ring_goes_on()
    {
        var decision = RetentionPolicy.Decide(Settings(maxFiles: 4, minFree: 10), Files, _ => false, free: 500, total: 1000, forNewFile: true, bytesNeeded: 100);
        Assert.True(decision.MayProceed);
    }

    [Fact]
    public void A_new_file_beyond_MaxFiles_deletes_the_oldest_unprotected_first()
    {
        var decision = RetentionPolicy.Decide(Settings(maxFiles: 2), Files, p => p.Contains("000001", StringComparison.Ordinal), free: 500, total: 1000, forNewFile: true, bytesNeeded: 0);
        Assert.Equal(Files[1], decision.Victim);
        Assert.Contains("maximum of 2 files", decision.Reason, StringComparison.Ordinal);
        Assert.True(RetentionPolicy.Decide(Settings(maxFiles: 3), Files, _ => false, 500, 1000, forNewFile: false, bytesNeeded: 0).MayProceed, "writing into the current file adds no file");
    }

    [Fact]
    public void Protected_files_stand_outside_MaxFiles_so_the_ring_goes_on_after_a_mark()
    {
        var marked = RetentionPolicy.Decide(Settings(maxFiles: 3), Files, p => !p.Contains("000003", StringComparison.Ordinal), 500, 1000, forNewFile: true, bytesNeeded: 0);
        Assert.True(marked.MayProceed, "two protected files and one in the ring: room for a new one");
        Assert.Equal(Files[2], RetentionPolicy.Decide(Settings(maxFiles: 1), Files, p => !p.Contains("000003", StringComparison.Ordinal), 500, 1000, forNewFile: true, bytesNeeded: 0).Victim);
    }

    [Fact]
    public void The_floor_and_the_next_write_are_both_kept_free()
    {
        Assert.Equal(Files[0], RetentionPolicy.Decide(Settings(minFree: 10), Files, _ => false, free: 150, total: 1000, forNewFile: false, bytesNeeded: 60).Victim);
        Assert.True(RetentionPolicy.Decide(Settings(minFree: 10), Files, _ => false, free: 160, total: 1000, forNewFile: false, bytesNeeded: 60).MayProceed);
    }

    [Fact]
    public void With_no_floor_a_full_disk_still_makes_room_for_the_next_write()
    {
        var decision = RetentionPolicy.Decide(Settings(minFree: 0), Files, _ => false, free: 10, total: 1000, forNewFile: false, bytesNeeded: 64 * 1024);
        Assert.Equal(Files[0], decision.Victim);
        Assert.Contains("the disk is full", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void OnFull_Stop_stops_and_deletes_nothing()
    {
        var decision = RetentionPolicy.Decide(Settings(maxFiles: 2, onFull: StorageFullPolicy.Stop), Files, _ => false, 500, 1000, forNewFile: true, bytesNeeded: 0);
        Assert.Null(decision.Victim);
        Assert.Contains("maximum of 2 files", decision.StopReason, StringComparison.Ordinal);
    }

    [Fact]
    public void When_every_older_file_is_protected_or_there_is_none_the_ring_stops_and_says_why()
    {
        Assert.EndsWith("every older file is protected", RetentionPolicy.Decide(Settings(minFree: 50), Files, _ => true, 100, 1000, false, 0).StopReason, StringComparison.Ordinal);
        Assert.EndsWith("no older file to delete", RetentionPolicy.Decide(Settings(minFree: 50), [], _ => false, 100, 1000, false, 0).StopReason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_disk_size_applies_no_space_limit() =>
        Assert.True(RetentionPolicy.Decide(Settings(minFree: 50), Files, _ => false, free: 0, total: 0, forNewFile: true, bytesNeeded: 1 << 20).MayProceed);
}
