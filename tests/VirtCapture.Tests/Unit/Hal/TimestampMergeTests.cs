using VirtCapture.Hal.Frames;

namespace VirtCapture.Tests.Unit.Hal;

public sealed class TimestampMergeTests
{
    private const long E = TimestampMerge.Empty;

    [Fact]
    public void The_oldest_head_goes_first_when_every_port_has_a_frame()
    {
        Assert.Equal(1, TimestampMerge.Pick([300, 100, 200], horizonNs: 0));
        Assert.Equal(0, TimestampMerge.Pick([100, 100], horizonNs: 0));
    }

    [Fact]
    public void While_a_port_is_empty_only_frames_older_than_the_horizon_go()
    {
        Assert.Equal(-1, TimestampMerge.Pick([500, E], horizonNs: 499));
        Assert.Equal(0, TimestampMerge.Pick([500, E], horizonNs: 500));
        Assert.Equal(-1, TimestampMerge.Pick([E, E], horizonNs: long.MaxValue - 1));
    }

    [Fact]
    public void Merging_two_sorted_streams_gives_one_sorted_stream()
    {
        long[][] ports = [[1, 4, 9, 10], [2, 3, 11]];
        var next = new int[2];
        var merged = new List<long>();
        while (true)
        {
            long[] heads = [.. ports.Select((p, i) => next[i] < p.Length ? p[next[i]] : E)];
            var pick = TimestampMerge.Pick(heads, horizonNs: long.MaxValue - 1);
            if (pick < 0)
            {
                break;
            }

            merged.Add(ports[pick][next[pick]++]);
        }

        Assert.Equal([1, 2, 3, 4, 9, 10, 11], merged);
    }
}
