namespace VirtCapture.Tests.Integration.Fuzz;

/// <summary>
/// Seeded mutations of real capture files, aimed at what readers trust: lengths, counts, indices and types at
/// 4-byte boundaries get the values that break arithmetic (0, 1, 0x7fffffff, 0x80000000, 0xffffffff, the file's size),
/// besides random bit flips, cuts, repeats and insertions.
/// </summary>
public sealed class Mutator
{
    private static readonly uint[] Interesting = [0, 1, 2, 3, 4, 8, 12, 16, 28, 32, 0x7f, 0x80, 0xff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff, 0x0A0D0D0A, 0x1A2B3C4D, 6, 5, 9];
    private readonly Random _random;

    public Mutator(int seed)
    {
        _random = new Random(seed);
    }

    public byte[] Mutate(byte[] original)
    {
        var data = new List<byte>(original);
        var rounds = 1 + _random.Next(4);
        for (var r = 0; r < rounds && data.Count > 0; r++)
        {
            switch (_random.Next(9))
            {
                case 7:
                case 8:
                    SetBlockField(data, Interesting[_random.Next(Interesting.Length)]);
                    break;
                case 0:
                case 1:
                    SetWord(data, Interesting[_random.Next(Interesting.Length)]);
                    break;
                case 2:
                    SetWord(data, (uint)(data.Count + _random.Next(-64, 64)));
                    break;
                case 3:
                    var at = _random.Next(data.Count);
                    data[at] ^= (byte)(1 << _random.Next(8));
                    break;
                case 4:
                    var start = _random.Next(data.Count);
                    data.RemoveRange(start, Math.Min(_random.Next(1, 200), data.Count - start));
                    break;
                case 5:
                    var from = _random.Next(data.Count);
                    var length = Math.Min(_random.Next(4, 256), data.Count - from);
                    data.InsertRange(_random.Next(data.Count), data.GetRange(from, length));
                    break;
                default:
                    var cut = _random.Next(data.Count);
                    data.RemoveRange(cut, data.Count - cut);
                    break;
            }
        }

        return [.. data];
    }

    /// <summary>A value into one of the first eight words of a pcapng block (type, lengths, interface, sizes).</summary>
    private void SetBlockField(List<byte> data, uint value)
    {
        var starts = new List<int>();
        var at = 0;
        while (at + 12 <= data.Count && starts.Count < 10_000)
        {
            starts.Add(at);
            var length = data[at + 4] | (data[at + 5] << 8) | (data[at + 6] << 16) | (data[at + 7] << 24);
            if (length < 12 || length % 4 != 0)
            {
                break;
            }

            at += length;
        }

        if (starts.Count == 0)
        {
            return;
        }

        var field = starts[_random.Next(starts.Count)] + (4 * _random.Next(8));
        if (field + 4 <= data.Count)
        {
            for (var i = 0; i < 4; i++)
            {
                data[field + i] = (byte)(value >> (8 * i));
            }
        }
    }

    private void SetWord(List<byte> data, uint value)
    {
        if (data.Count < 4)
        {
            return;
        }

        // Mostly at 4-byte boundaries (where pcap and pcapng keep their fields), sometimes anywhere.
        var at = _random.Next(4) == 0 ? _random.Next(data.Count - 3) : _random.Next(data.Count / 4) * 4;
        var bigEndian = _random.Next(4) == 0;
        for (var i = 0; i < 4; i++)
        {
            data[at + i] = (byte)(value >> (bigEndian ? 24 - (8 * i) : 8 * i));
        }
    }
}
