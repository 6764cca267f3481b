using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace VirtCapture.Format.Pcapng;

/// <summary>
/// Walks the blocks of a pcapng file with <see cref="PcapngBlockReader"/>, a megabyte at a time: one read call per
/// chunk, every block handed over in place. Repair, the capture catalog and the time-window query all read files
/// through it.
/// </summary>
public static class PcapngFileScanner
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>Visits every whole block from <paramref name="start"/> until the end, damage, or the visitor says stop.</summary>
    /// <param name="file">The open file (read with positional reads; the handle's position is not used).</param>
    /// <param name="start">Where the first block starts.</param>
    /// <param name="visitor">Takes each block.</param>
    /// <param name="bigEndian">The section's byte order.</param>
    public static PcapngScanEnd Scan<TVisitor>(SafeFileHandle file, long start, ref TVisitor visitor, bool bigEndian = false)
        where TVisitor : struct, IPcapngBlockVisitor
    {
        ArgumentNullException.ThrowIfNull(file);
        var length = RandomAccess.GetLength(file);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        var bufferOffset = start;
        var filled = 0;
        try
        {
            while (true)
            {
                var reader = new PcapngBlockReader(buffer.AsSpan(0, filled), bigEndian);
                var at = 0;
                while (reader.TryRead(out var block))
                {
                    if (!visitor.Visit(block, bufferOffset + at))
                    {
                        return new PcapngScanEnd(bufferOffset + at, null);
                    }

                    at = reader.Position;
                }

                var end = bufferOffset + at;
                if (reader.Problem is { } problem)
                {
                    return new PcapngScanEnd(end, $"{problem} at byte {end}");
                }

                // Keep the unfinished block's start, read what follows it.
                var left = filled - at;
                buffer.AsSpan(at, left).CopyTo(buffer);
                bufferOffset = end;
                filled = left;
                if (end + left >= length)
                {
                    return new PcapngScanEnd(end, left == 0 ? null : $"a block cut short at byte {end} (the file ends {length - end} bytes later)");
                }

                if (reader.NeededLength > buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(reader.NeededLength);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = RandomAccess.Read(file, buffer.AsSpan(filled), bufferOffset + filled);
                if (read == 0)
                {
                    // Cut shorter while being read (a ring deleting it): what was whole stands.
                    return new PcapngScanEnd(end, left == 0 ? null : $"a block cut short at byte {end}");
                }

                filled += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
