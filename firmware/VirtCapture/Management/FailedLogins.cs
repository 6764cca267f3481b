using System.Net;

namespace VirtCapture.Management;

/// <summary>
/// Slows down wrong tokens per address, counting the attempts still waiting: the failures of one address are
/// answered one after another (100 ms, doubling, at most 3 s apart), so parallel guesses are no faster than serial
/// ones. When an address already has more than <see cref="MaxQueue"/> of waiting, further requests from it are
/// refused at once without their token being looked at. Forgotten 5 min after the last failure, or on a success.
/// </summary>
internal sealed class FailedLogins
{
    /// <summary>How far ahead one address's failures may be queued before the address is refused outright.</summary>
    public static readonly TimeSpan MaxQueue = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Forget = TimeSpan.FromMinutes(5);
    private readonly Dictionary<IPAddress, Entry> _failures = [];
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;

    public FailedLogins(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>
    /// How long this address must wait before anything it sends is looked at; above zero it is refused now (429)
    /// with this as its Retry-After.
    /// </summary>
    public TimeSpan Locked(IPAddress? address)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            return _failures.TryGetValue(address ?? IPAddress.None, out var entry) && entry.NextAnswer - now > MaxQueue
                ? entry.NextAnswer - now - MaxQueue
                : TimeSpan.Zero;
        }
    }

    /// <summary>Records a failure and returns how long to wait before answering it (its turn in the queue).</summary>
    public TimeSpan Fail(IPAddress? address)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var key = address ?? IPAddress.None;
            if (!_failures.TryGetValue(key, out var entry) || now - entry.LastFailure > Forget)
            {
                Prune(now);
                entry = new Entry();
                _failures[key] = entry;
            }

            entry.Count++;
            entry.LastFailure = now;
            var step = TimeSpan.FromMilliseconds(Math.Min(3000, 100 * Math.Pow(2, Math.Min(entry.Count - 1, 10))));
            entry.NextAnswer = (entry.NextAnswer > now ? entry.NextAnswer : now) + step;
            return entry.NextAnswer - now;
        }
    }

    /// <summary>Forgets an address after a success.</summary>
    public void Succeed(IPAddress? address)
    {
        lock (_lock)
        {
            _failures.Remove(address ?? IPAddress.None);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        // Bounded memory against many addresses: drop everything forgotten whenever a new address appears.
        foreach (var stale in _failures.Where(f => now - f.Value.LastFailure > Forget).Select(f => f.Key).ToList())
        {
            _failures.Remove(stale);
        }
    }

    private sealed class Entry
    {
        public int Count { get; set; }

        public DateTimeOffset LastFailure { get; set; }

        public DateTimeOffset NextAnswer { get; set; }
    }
}
