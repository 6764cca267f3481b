namespace VirtCapture.Vm;

/// <summary>
/// How many VM announcements become events: a migration or a failover sends a few (QEMU five RARPs, vMotion three), a
/// storm (a loop, a flapping team, a hostile host) sends them at line rate. Each second of capture time lets through
/// <see cref="PerVmPerSecond"/> per MAC and port and <see cref="TotalPerSecond"/> in all; the rest are counted, and
/// the inventory reports the count as one event. The frames themselves are all recorded, each with its comment.
/// </summary>
internal sealed class AnnouncementLimiter
{
    /// <summary>Events a second for one MAC on one port.</summary>
    public const int PerVmPerSecond = 10;

    /// <summary>Events a second for all MACs.</summary>
    public const int TotalPerSecond = 100;

    private const long Second = 1_000_000_000;
    private readonly Dictionary<(ulong Mac, int Port), int> _counts = [];
    private long _windowStartNs = long.MinValue;
    private int _total;

    /// <summary>Announcements held back since <see cref="TakeSuppressed"/> was last called.</summary>
    public long Suppressed { get; private set; }

    /// <summary>True when the announcement of <paramref name="mac"/> on <paramref name="port"/> at <paramref name="timestampNs"/> may become an event.</summary>
    public bool Allow(ulong mac, int port, long timestampNs)
    {
        // A window per second of the frames' clock (a replay runs on its own); a frame stamped earlier counts in the current one.
        if (_windowStartNs == long.MinValue || timestampNs - _windowStartNs >= Second)
        {
            _windowStartNs = timestampNs;
            _total = 0;
            _counts.Clear();
        }

        var count = _counts.GetValueOrDefault((mac, port));
        if (count >= PerVmPerSecond || _total >= TotalPerSecond)
        {
            Suppressed++;
            return false;
        }

        _counts[(mac, port)] = count + 1;
        _total++;
        return true;
    }

    /// <summary>The announcements held back since the last call, and starts counting again.</summary>
    public long TakeSuppressed()
    {
        var suppressed = Suppressed;
        Suppressed = 0;
        return suppressed;
    }
}
