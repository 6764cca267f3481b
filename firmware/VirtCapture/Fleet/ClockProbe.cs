namespace VirtCapture.Fleet;

/// <summary>
/// The box's clock as the fleet needs to know it: the kernel's synchronisation state (adjtimex) and which daemon keeps
/// it (the first of chronyd, systemd-timesyncd, ntpd, ptp4l found running).
/// </summary>
internal static class ClockProbe
{
    private static readonly string[] Daemons = ["chronyd", "systemd-timesyncd", "ntpd", "ptp4l"];

    /// <summary>Reads it now (a system call and a look at /proc: not for a hot path).</summary>
    public static ClockStatus Read()
    {
        var (synchronized, error) = Hal.Interop.ClockNative.Read();
        return new ClockStatus(synchronized, error, Source());
    }

    private static string Source()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (name.Length == 0 || !char.IsAsciiDigit(name[0]))
            {
                continue;
            }

            try
            {
                var comm = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                if (Array.IndexOf(Daemons, comm) >= 0)
                {
                    return comm;
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return "none found";
    }
}
