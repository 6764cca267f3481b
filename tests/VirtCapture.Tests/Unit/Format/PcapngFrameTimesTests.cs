namespace VirtCapture.Tests.Unit.Format;

/// <summary>The times a walk of a file finds: a frame stamped 0 does not start the file, the newest frame ends it.</summary>
public sealed class PcapngFrameTimesTests
{
    [Fact]
    public void The_first_stamped_frame_starts_the_run_and_the_newest_ends_it_whatever_the_order()
    {
        var times = default(PcapngFrameTimes);
        foreach (var ts in new long[] { 0, 5_000, 9_000, 7_000, 0 })
        {
            times.Add(ts);
        }

        Assert.Equal(5_000, times.FirstNs);
        Assert.Equal(9_000, times.NewestNs);
    }

    [Fact]
    public void A_file_made_of_segments_has_the_times_of_its_frames_walked_one_by_one()
    {
        long[][] segments = [[0, 0], [3_000, 8_000], [6_000], []];
        var walked = default(PcapngFrameTimes);
        var file = default(PcapngFrameTimes);
        foreach (var frames in segments)
        {
            var segment = default(PcapngFrameTimes);
            foreach (var ts in frames)
            {
                segment.Add(ts);
                walked.Add(ts);
            }

            file.Add(segment);
        }

        Assert.Equal((3_000L, 8_000L), (file.FirstNs, file.NewestNs));
        Assert.Equal((walked.FirstNs, walked.NewestNs), (file.FirstNs, file.NewestNs));
    }
}
