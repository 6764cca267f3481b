using System.Runtime.InteropServices;

namespace VirtCapture.Hal.Interop;

/// <summary>
/// The kernel's <c>struct timex</c> (64-bit Linux), as <c>adjtimex</c> fills it; only the clock's synchronisation state
/// is read. Field for field with the C header, so the layout is the compiler's (checked against gcc's offsetof).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Timex
{
    public uint Modes;
    public long Offset;
    public long Frequency;
    public long MaxError;
    public long EstimatedError;
    public int Status;
    public long Constant;
    public long Precision;
    public long Tolerance;
    public long TimeSeconds;
    public long TimeMicroseconds;
    public long Tick;
    public long PpsFrequency;
    public long Jitter;
    public int Shift;
    public long Stability;
    public long JitterCount;
    public long CalibrationCount;
    public long ErrorCount;
    public long StabilityCount;
    public int Tai;
    public unsafe fixed int Reserved[11];
}
