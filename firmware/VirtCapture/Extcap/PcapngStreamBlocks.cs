using System.Buffers.Binary;
using VirtCapture.Format.Pcapng;

namespace VirtCapture.Extcap;

/// <summary>
/// Whole pcapng blocks off a stream as they arrive (the box's <c>/api/live</c> and <c>/api/packets</c>), each checked
/// by the format library's block reader before it is handed on. Little-endian, as the box writes.
/// </summary>
internal sealed class PcapngStreamBlocks(Stream input)
{
    private byte[] _buffer = new byte[1 << 16];

    /// <summary>The next block (valid until the next call), or empty at the end of the stream.</summary>
    /// <exception cref="InvalidDataException">The stream is not pcapng, or ends inside a block.</exception>
    public async Task<ReadOnlyMemory<byte>> NextAsync(CancellationToken cancel)
    {
        if (!await FillAsync(0, 8, cancel).ConfigureAwait(false))
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(4));
        if (length < 12 || length > PcapngBlockReader.MaxBlockLength || length % 4 != 0)
        {
            throw new InvalidDataException($"the box sent a pcapng block of {length} bytes");
        }

        if (length > _buffer.Length)
        {
            Array.Resize(ref _buffer, length);
        }

        if (!await FillAsync(8, length - 8, cancel).ConfigureAwait(false))
        {
            throw new InvalidDataException("the box's stream ended inside a block");
        }

        var reader = new PcapngBlockReader(_buffer.AsSpan(0, length));
        if (!reader.TryRead(out _))
        {
            throw new InvalidDataException($"the box sent a damaged pcapng block ({reader.Problem ?? "incomplete"})");
        }

        return _buffer.AsMemory(0, length);
    }

    /// <summary>The block type of a block <see cref="NextAsync"/> returned.</summary>
    public static uint TypeOf(ReadOnlySpan<byte> block) => BinaryPrimitives.ReadUInt32LittleEndian(block);

    /// <summary>An enhanced packet block's timestamp in ns (the box writes nanosecond resolution).</summary>
    public static long TimestampOf(ReadOnlySpan<byte> block) =>
        (long)(((ulong)BinaryPrimitives.ReadUInt32LittleEndian(block[12..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(block[16..]));

    private async Task<bool> FillAsync(int offset, int count, CancellationToken cancel)
    {
        var read = 0;
        while (read < count)
        {
            var n = await input.ReadAsync(_buffer.AsMemory(offset + read, count - read), cancel).ConfigureAwait(false);
            if (n == 0)
            {
                return read == 0 && offset == 0 ? false : throw new InvalidDataException("the box's stream ended inside a block");
            }

            read += n;
        }

        return true;
    }
}
