using System.Diagnostics;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Hal.Links;

/// <summary>
/// The kernel counters and link state of a live source's ports: refreshed by the capture thread at most every
/// 100 ms (a couple of system calls per port, never per frame), read from any thread.
/// </summary>
internal sealed class PortStateTracker : IDisposable
{
    private static readonly long RefreshTicks = Stopwatch.Frequency / 10;
    private readonly SysfsLinkReader[] _links;
    private readonly PortLink[] _states;
    private readonly long[] _received;
    private readonly long[] _dropped;
    private readonly Func<int, (long Received, long Dropped)> _readIncrement;
    private readonly Lock _lock = new();
    private long _lastRefresh;

    /// <param name="interfaces">The ports' interfaces.</param>
    /// <param name="readIncrement">Frames received and dropped on a port since the previous call.</param>
    public PortStateTracker(IReadOnlyList<string> interfaces, Func<int, (long Received, long Dropped)> readIncrement)
    {
        _links = interfaces.Select(i => new SysfsLinkReader(i)).ToArray();
        _states = _links.Select(l => l.State).ToArray();
        _received = new long[interfaces.Count];
        _dropped = new long[interfaces.Count];
        _readIncrement = readIncrement;
    }

    /// <summary>Capture thread: refreshes counters and links when the interval has passed.</summary>
    /// <returns>True when it refreshed them.</returns>
    public bool RefreshIfDue()
    {
        var now = Stopwatch.GetTimestamp();
        if (now - _lastRefresh < RefreshTicks)
        {
            return false;
        }

        _lastRefresh = now;
        lock (_lock)
        {
            RefreshCounters();
            for (var p = 0; p < _links.Length; p++)
            {
                _links[p].Refresh();
                _states[p] = _links[p].State;
            }
        }

        return true;
    }

    /// <summary>A port's counters, read now.</summary>
    public SourceCounters Counters(int port)
    {
        lock (_lock)
        {
            RefreshCounters();
            return new SourceCounters(_received[port], _dropped[port]);
        }
    }

    /// <summary>A port's link as last refreshed.</summary>
    public PortLink Link(int port)
    {
        lock (_lock)
        {
            return _states[port];
        }
    }

    /// <summary>Closes the link attributes.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var link in _links)
            {
                link.Dispose();
            }
        }
    }

    private void RefreshCounters()
    {
        for (var p = 0; p < _received.Length; p++)
        {
            var (received, dropped) = _readIncrement(p);
            _received[p] += received;
            _dropped[p] += dropped;
        }
    }
}
