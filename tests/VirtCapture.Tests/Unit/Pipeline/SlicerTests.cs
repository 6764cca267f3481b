using VirtCapture.Hal.Frames;
using VirtCapture.Pipeline;

namespace VirtCapture.Tests.Unit.Pipeline;

/// <summary>The slicer puts back the VLAN tag the kernel stripped, and cuts wherever the snaplen ends, tag included.</summary>
public sealed class SlicerTests
{
    private static readonly byte[] Untagged = [.. Enumerable.Range(0, 12).Select(i => (byte)(0xA0 + i)), 0x08, 0x00, .. Enumerable.Range(0, 46).Select(i => (byte)i)];

    [Fact]
    public void A_stripped_tag_is_restored_after_the_MACs()
    {
        var frame = new FrameRecord { CapturedLength = Untagged.Length, WireLength = Untagged.Length, VlanTpid = 0x8100, VlanTci = 0x2014 };
        var slicer = new Slicer(262144);
        Assert.Equal(Untagged.Length + 4, slicer.SlicedLength(frame));
        Assert.Equal(Untagged.Length + 4, Slicer.RecordedWireLength(frame));
        var recorded = new byte[slicer.SlicedLength(frame)];
        Slicer.Copy(frame, Untagged, recorded);
        Assert.Equal(Untagged[..12], recorded[..12]);
        Assert.Equal(new byte[] { 0x81, 0x00, 0x20, 0x14 }, recorded[12..16]);
        Assert.Equal(Untagged[12..], recorded[16..]);
    }

    [Theory]
    [InlineData(14)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(30)]
    public void A_snaplen_that_ends_inside_or_after_the_restored_tag_cuts_exactly_there(int snaplen)
    {
        var frame = new FrameRecord { CapturedLength = Untagged.Length, WireLength = Untagged.Length, VlanTpid = 0x88a8, VlanTci = 0x0064 };
        var slicer = new Slicer(snaplen);
        var recorded = new byte[slicer.SlicedLength(frame)];
        Slicer.Copy(frame, Untagged, recorded);
        byte[] full = [.. Untagged[..12], 0x88, 0xa8, 0x00, 0x64, .. Untagged[12..]];
        Assert.Equal(full[..snaplen], recorded);
    }

    [Fact]
    public void An_untagged_frame_is_cut_at_the_snaplen()
    {
        var frame = new FrameRecord { CapturedLength = Untagged.Length, WireLength = 1500 };
        var slicer = new Slicer(20);
        var recorded = new byte[slicer.SlicedLength(frame)];
        Slicer.Copy(frame, Untagged, recorded);
        Assert.Equal(Untagged[..20], recorded);
        Assert.Equal(1500, Slicer.RecordedWireLength(frame));
    }

    [Fact]
    public void Every_length_is_copied_exactly_and_nothing_past_it()
    {
        var source = Enumerable.Range(0, 300).Select(i => (byte)(i * 31 + 7)).ToArray();
        for (var length = 0; length <= 200; length++)
        {
            var frame = new FrameRecord { CapturedLength = length, WireLength = length };
            var recorded = Enumerable.Repeat((byte)0xEE, length + 40).ToArray();
            Slicer.Copy(frame, source.AsSpan(0, length), recorded.AsSpan(0, length));
            Assert.True(source.AsSpan(0, length).SequenceEqual(recorded.AsSpan(0, length)), $"{length} bytes copied wrong");
            Assert.All(recorded[length..], b => Assert.Equal(0xEE, b));
        }
    }
}
