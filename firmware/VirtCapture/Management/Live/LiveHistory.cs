using System.Text.Json;

namespace VirtCapture.Management.Live;

/// <summary>
/// The last <c>keep</c> samples (or markers) as the JSON the event streams send, each in a byte buffer of its slot that
/// the next lap reuses. An item is serialized once, however many pages watch, and the history holds no objects: a
/// ring of sample objects lived for minutes, so each one aged into the garbage collector's oldest generation and died
/// there, and a page left open raised the box's memory until the next full collection. Not thread-safe: its owner locks.
/// </summary>
internal sealed class LiveHistory
{
    private readonly byte[][] _slots;
    private readonly int[] _lengths;

    /// <summary>A history of the last <paramref name="keep"/> items.</summary>
    public LiveHistory(int keep)
    {
        _slots = new byte[keep][];
        _lengths = new int[keep];
    }

    /// <summary>Items added so far (the next one's sequence number).</summary>
    public long Count { get; private set; }

    /// <summary>Adds one item's JSON; the oldest kept one goes.</summary>
    public void Add(ReadOnlySpan<byte> json)
    {
        var i = (int)(Count % _slots.Length);
        if (_slots[i] is not { } slot || slot.Length < json.Length)
        {
            // Room for the item to grow a little (a VM more in the next sample) without a new buffer each time.
            _slots[i] = slot = new byte[json.Length + (json.Length / 4) + 64];
        }

        json.CopyTo(slot);
        _lengths[i] = json.Length;
        Count++;
    }

    /// <summary>Writes the kept items after the first <paramref name="seen"/> as the elements of the open JSON array.</summary>
    public void WriteSince(long seen, Utf8JsonWriter json)
    {
        for (var n = Math.Max(Math.Max(0, seen), Count - _slots.Length); n < Count; n++)
        {
            var i = (int)(n % _slots.Length);
            json.WriteRawValue(_slots[i].AsSpan(0, _lengths[i]), skipInputValidation: true);
        }
    }
}
