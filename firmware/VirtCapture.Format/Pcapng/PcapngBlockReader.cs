using System.Buffers.Binary;

namespace VirtCapture.Format.Pcapng;

/// <summary>
/// Walks a run of whole pcapng blocks in place (a file chunk, a buffer segment): each block's leading and trailing
/// lengths must agree and fit. Stops at the end, at a block that is not wholly in the span yet
/// (<see cref="Incomplete"/>, with <see cref="NeededLength"/>), or at a block whose lengths are impossible
/// (<see cref="Problem"/>). The one reader of pcapng block framing in the box.
/// </summary>
public ref struct PcapngBlockReader
{
    /// <summary>The largest block accepted (16 MiB): a larger length is damage, not data.</summary>
    public const int MaxBlockLength = 16 << 20;

    private readonly ReadOnlySpan<byte> _blocks;
    private readonly bool _bigEndian;

    /// <summary>Reads <paramref name="blocks"/> in the given byte order.</summary>
    public PcapngBlockReader(ReadOnlySpan<byte> blocks, bool bigEndian = false)
    {
        _blocks = blocks;
        _bigEndian = bigEndian;
        Position = 0;
        Problem = null;
        NeededLength = 0;
    }

    /// <summary>Offset of the next block: the end of the whole blocks read so far.</summary>
    public int Position { get; private set; }

    /// <summary>Why the walk stopped before the end of the span; null when it did not (or it only needs more bytes).</summary>
    public string? Problem { get; private set; }

    /// <summary>True when the walk stopped at a block not wholly in the span (more bytes may complete it).</summary>
    public readonly bool Incomplete => NeededLength > 0;

    /// <summary>The length of the incomplete block (at least 12 while its header itself is cut), or 0.</summary>
    public int NeededLength { get; private set; }

    /// <summary>The next whole block, or false (see <see cref="Problem"/> and <see cref="Incomplete"/>).</summary>
    public bool TryRead(out PcapngBlock block)
    {
        block = default;
        var rest = _blocks[Position..];
        if (rest.IsEmpty || Problem is not null)
        {
            return false;
        }

        if (rest.Length < 12)
        {
            NeededLength = 12;
            return false;
        }

        var type = Read32(rest);
        var length = Read32(rest[4..]);
        if (length < 12 || length % 4 != 0 || length > MaxBlockLength)
        {
            Problem = $"block of type 0x{type:x} with an impossible length {length}";
            return false;
        }

        if (length > (uint)rest.Length)
        {
            NeededLength = (int)length;
            return false;
        }

        var whole = rest[..(int)length];
        if (Read32(whole[^4..]) != length)
        {
            Problem = $"block of type 0x{type:x} with mismatched leading and trailing lengths";
            return false;
        }

        block = new PcapngBlock(whole, _bigEndian);
        Position += (int)length;
        return true;
    }

    private readonly uint Read32(ReadOnlySpan<byte> at) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(at) : BinaryPrimitives.ReadUInt32LittleEndian(at);
}
