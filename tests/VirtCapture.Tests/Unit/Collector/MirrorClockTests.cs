using VirtCapture.Collector;

namespace VirtCapture.Tests.Unit.Collector;

/// <summary>A mirrored frame carries the switch's time only where that is a clock that agrees with the box's.</summary>
public sealed class MirrorClockTests
{
    private const long Arrival = 1_764_000_000_250_000_000;

    [Theory]
    [InlineData(1_764_000_037L, 100_000_000u, 1_764_000_000_100_000_000L)] // PTP's TAI, 37 s ahead of UTC
    [InlineData(1_764_000_000L, 100_000_000u, 1_764_000_000_100_000_000L)] // a switch that sends UTC in 1588 form
    public void An_ieee_1588_time_with_its_upper_bits_is_the_frame_time(long seconds, uint nanoseconds, long expected)
    {
        var packet = Erspan3(granularity: 2, ((ulong)seconds << 32) | nanoseconds, upper: true);
        Assert.True(MirrorClock.TrySwitchTime(packet, Arrival, out var time));
        Assert.Equal(expected, time);
    }

    [Theory]
    [InlineData(2, 1_764_000_037L, 100_000_000u, false)] // no upper bits: only the nanoseconds arrived
    [InlineData(1, 1_764_000_037L, 100_000_000u, true)] // 100 ns ticks of a counter with no epoch
    [InlineData(0, 1_764_000_037L, 100_000_000u, true)] // 100 µs ticks
    [InlineData(2, 1_764_000_100L, 100_000_000u, true)] // a clock a minute off
    [InlineData(2, 1_764_000_037L, 1_500_000_000u, true)] // nanoseconds beyond a second
    public void Anything_else_keeps_the_arrival_time(int granularity, long seconds, uint nanoseconds, bool upper)
    {
        var packet = Erspan3((byte)granularity, ((ulong)seconds << 32) | nanoseconds, upper);
        Assert.False(MirrorClock.TrySwitchTime(packet, Arrival, out var time));
        Assert.Equal(Arrival, time);
    }

    [Fact]
    public void Only_erspan_III_descriptions_say_which_clock()
    {
        var erspan = new MirrorSession(0, MirrorEncapsulation.ErspanIII, 12);
        Assert.EndsWith("(times: the switch's IEEE 1588 clock)", MirrorClock.Describe(erspan, true), StringComparison.Ordinal);
        Assert.EndsWith("(times: arrival at the box)", MirrorClock.Describe(erspan, false), StringComparison.Ordinal);
        Assert.Equal("VXLAN VNI 5001 from any sender", MirrorClock.Describe(new MirrorSession(0, MirrorEncapsulation.Vxlan, 5001), null));
    }

    private static MirrorPacket Erspan3(byte granularity, ulong timestamp, bool upper) => new()
    {
        Encapsulation = MirrorEncapsulation.ErspanIII,
        Granularity = granularity,
        Timestamp = upper ? timestamp : (uint)timestamp,
        HasUpperTimestamp = upper,
    };
}
