using System.Runtime.InteropServices;

namespace VirtCapture.Hal.Interop;

/// <summary><c>adjtimex</c> in read-only mode: is the system clock synchronised (by chrony, timesyncd, ntpd or PTP)?</summary>
internal static unsafe partial class ClockNative
{
    /// <summary>The kernel's "clock not synchronised" status bit.</summary>
    public const int StaUnsync = 0x0040;

    /// <summary>adjtimex's answer when the clock is not synchronised.</summary>
    public const int TimeError = 5;

    [LibraryImport("libc", EntryPoint = "adjtimex", SetLastError = true)]
    private static partial int AdjTimex(Timex* buffer);

    /// <summary>Synchronised (no STA_UNSYNC, not TIME_ERROR) and the kernel's estimated error in µs.</summary>
    /// <exception cref="IOException">adjtimex failed (errno in the message).</exception>
    public static (bool Synchronized, long EstimatedErrorMicroseconds) Read()
    {
        Timex buffer = default;
        var state = AdjTimex(&buffer);
        if (state < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot read the clock's state (adjtimex): {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }

        return (state != TimeError && (buffer.Status & StaUnsync) == 0, buffer.EstimatedError);
    }
}
