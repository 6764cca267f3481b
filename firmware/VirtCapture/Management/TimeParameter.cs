using System.Globalization;

namespace VirtCapture.Management;

/// <summary>Times in query strings: RFC 3339, or seconds since the epoch (decimals allowed).</summary>
internal static class TimeParameter
{
    private const decimal MaxSeconds = 9_000_000_000m;

    public static bool TryParse(string? text, out long nanoseconds)
    {
        nanoseconds = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            // Beyond the year 2262 nanoseconds no longer fit in 64 bits: such a time is refused, not overflowed.
            if (seconds > MaxSeconds)
            {
                return false;
            }

            nanoseconds = (long)(seconds * 1_000_000_000m);
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            nanoseconds = (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
            return true;
        }

        return false;
    }
}
