using System.Buffers.Binary;

namespace VirtCapture.Tests.Support;

/// <summary>
/// A deliberately separate, minimal pcapng reader for what tshark does not print: block offsets and the
/// interface statistics blocks' counters.
/// </summary>
public static class PcapngBlockWalker
{
    public sealed record Block(long Offset, uint Type, int Length);

    /// <summary>Whole blocks from the start, stopping at the first that is cut or inconsistent.</summary>
    public static List<Block> WholeBlocks(byte[] data)
    {
        var blocks = new List<Block>();
        long offset = 0;
        while (offset + 12 <= data.Length)
        {
            var type = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)offset));
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)offset + 4));
            if (type == 0 || length < 12 || length % 4 != 0 || offset + length > data.Length
                || BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)(offset + length - 4))) != length)
            {
                break;
            }

            blocks.Add(new Block(offset, type, length));
            offset += length;
        }

        return blocks;
    }

    /// <summary>Options of every interface statistics block: interface id → (option code → value).</summary>
    public static List<(int Interface, Dictionary<int, ulong> Options)> Statistics(string file)
    {
        var data = File.ReadAllBytes(file);
        var result = new List<(int, Dictionary<int, ulong>)>();
        foreach (var block in WholeBlocks(data).Where(b => b.Type == 5))
        {
            var span = data.AsSpan((int)block.Offset, block.Length);
            var iface = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
            var options = new Dictionary<int, ulong>();
            var pos = 20;
            while (pos + 4 <= block.Length - 4)
            {
                var code = BinaryPrimitives.ReadUInt16LittleEndian(span[pos..]);
                var length = BinaryPrimitives.ReadUInt16LittleEndian(span[(pos + 2)..]);
                if (code == 0)
                {
                    break;
                }

                if (length == 8)
                {
                    options[code] = code is 2 or 3
                        ? ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 4)..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 8)..])
                        : BinaryPrimitives.ReadUInt64LittleEndian(span[(pos + 4)..]);
                }

                pos += 4 + ((length + 3) & ~3);
            }

            result.Add((iface, options));
        }

        return result;
    }

    /// <summary>The comment (opt_comment) of every interface statistics block: interface id → text.</summary>
    public static Dictionary<int, string> StatisticsComments(string file)
    {
        var data = File.ReadAllBytes(file);
        var result = new Dictionary<int, string>();
        foreach (var block in WholeBlocks(data).Where(b => b.Type == 5))
        {
            var span = data.AsSpan((int)block.Offset, block.Length);
            for (var pos = 20; pos + 4 <= block.Length - 4;)
            {
                var code = BinaryPrimitives.ReadUInt16LittleEndian(span[pos..]);
                var length = BinaryPrimitives.ReadUInt16LittleEndian(span[(pos + 2)..]);
                if (code == 0)
                {
                    break;
                }

                if (code == 1)
                {
                    result[(int)BinaryPrimitives.ReadUInt32LittleEndian(span[8..])] = System.Text.Encoding.UTF8.GetString(span.Slice(pos + 4, length));
                }

                pos += 4 + ((length + 3) & ~3);
            }
        }

        return result;
    }
}
