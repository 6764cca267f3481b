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

    [Fact]
    public void A_frame_the_kernel_filed_late_goes_back_to_its_time_and_equal_times_keep_their_order()
    {
        // What CI recorded from a veth: a neighbour solicitation sent from a kernel timer on the other CPU, filed
        // after a newer trafgen frame; then two frames stamped in the same nanosecond, on two ports.
        FrameRecord[] batch =
        [
            Frame(100, 0, 1), Frame(914, 0, 2), Frame(844, 0, 3), Frame(900, 1, 4), Frame(950, 1, 5), Frame(950, 0, 6), Frame(120, 1, 7),
        ];

        var moved = TimestampMerge.RestoreOrder(batch);

        Assert.Equal([1, 7, 3, 4, 2, 5, 6], batch.Select(f => f.Offset));
        Assert.Equal(3, moved);
    }

    [Fact]
    public void A_batch_already_in_order_is_left_as_it_is()
    {
        FrameRecord[] batch = [Frame(1, 0, 1), Frame(1, 1, 2), Frame(2, 0, 3), Frame(3, 1, 4)];
        Assert.Equal(0, TimestampMerge.RestoreOrder(batch));
        Assert.Equal([1, 2, 3, 4], batch.Select(f => f.Offset));
        Assert.Equal(0, TimestampMerge.RestoreOrder(Span<FrameRecord>.Empty));
    }

    private static FrameRecord Frame(long ns, ushort port, int offset) => new() { TimestampNs = ns, Port = port, Offset = offset, CapturedLength = 60, WireLength = 60 };
}
