using VirtCapture.Management;

namespace VirtCapture.Tests.Unit.Management;

public sealed class TimeParameterTests
{
    [Theory]
    [InlineData("1764000000", 1_764_000_000_000_000_000L)]
    [InlineData("1764000000.25", 1_764_000_000_250_000_000L)]
    [InlineData("2025-11-24T16:00:00Z", 1_764_000_000_000_000_000L)]
    [InlineData("2025-11-24T17:00:00+01:00", 1_764_000_000_000_000_000L)]
    public void Epoch_seconds_and_RFC_3339_times_read_as_nanoseconds(string text, long expected)
    {
        Assert.True(TimeParameter.TryParse(text, out var ns));
        Assert.Equal(expected, ns);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("99999999999")]
    [InlineData("-5")]
    public void Missing_garbage_and_overflowing_times_are_refused(string? text) => Assert.False(TimeParameter.TryParse(text, out _));
}
