using System.Collections.Concurrent;
using System.Net;

namespace VirtCapture.Management;

/// <summary>Slows down repeated failures from one address: 100 ms, doubling, at most 3 s; forgotten after 5 min.</summary>
internal sealed class FailedLogins
{
    private static readonly TimeSpan Forget = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<IPAddress, (int Count, DateTime Last)> _failures = new();
    private readonly TimeProvider _time;

    public FailedLogins(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>Records a failure and returns how long to wait before answering it.</summary>
    public TimeSpan Fail(IPAddress? address)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var entry = _failures.AddOrUpdate(address ?? IPAddress.None, _ => (1, now), (_, e) => (now - e.Last > Forget ? 1 : e.Count + 1, now));
        return TimeSpan.FromMilliseconds(Math.Min(3000, 100 * Math.Pow(2, Math.Min(entry.Count - 1, 10))));
    }

    /// <summary>Forgets an address after a success.</summary>
    public void Succeed(IPAddress? address) => _failures.TryRemove(address ?? IPAddress.None, out _);
}
