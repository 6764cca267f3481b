using System.Buffers.Binary;

namespace VirtCapture.Format.Pcapng;

/// <summary>
/// Walks the options of one block in place: code, value, padding to four bytes, up to opt_endofopt or the end of
/// the options. An option that runs past its block stops the walk with <see cref="Problem"/> set.
/// </summary>
public ref struct PcapngOptionReader
{
    private readonly bool _bigEndian;
    private ReadOnlySpan<byte> _rest;

    /// <summary>Reads <paramref name="options"/> (the options area of a block, without the trailer).</summary>
    public PcapngOptionReader(ReadOnlySpan<byte> options, bool bigEndian)
    {
        _rest = options;
        _bigEndian = bigEndian;
        Problem = null;
    }

    /// <summary>Why the walk stopped early, or null when the options were well-formed.</summary>
    public string? Problem { get; private set; }

    /// <summary>The next option; false at opt_endofopt, at the end, or on damage (<see cref="Problem"/>).</summary>
    public bool TryRead(out ushort code, out ReadOnlySpan<byte> value)
    {
        code = 0;
        value = default;
        if (_rest.IsEmpty)
        {
            return false;
        }

        if (_rest.Length < 4)
        {
            return Fail("options end inside an option header");
        }

        code = Read16(_rest);
        var length = Read16(_rest[2..]);
        if (code == 0)
        {
            _rest = default;
            return length == 0 ? false : Fail("end-of-options with a length");
        }

        var padded = 4 + ((length + 3) & ~3);
        if (padded > _rest.Length)
        {
            return Fail($"option {code} of {length} bytes runs past its block");
        }

        value = _rest.Slice(4, length);
        _rest = _rest[padded..];
        return true;
    }

    /// <summary>The first 4-byte option <paramref name="wanted"/>, or null.</summary>
    public uint? FindUInt32(ushort wanted)
    {
        while (TryRead(out var code, out var value))
        {
            if (code == wanted && value.Length == 4)
            {
                return _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(value) : BinaryPrimitives.ReadUInt32LittleEndian(value);
            }
        }

        return null;
    }

    /// <summary>The first 8-byte option <paramref name="wanted"/>, or null.</summary>
    public ulong? FindUInt64(ushort wanted)
    {
        while (TryRead(out var code, out var value))
        {
            if (code == wanted && value.Length == 8)
            {
                return _bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(value) : BinaryPrimitives.ReadUInt64LittleEndian(value);
            }
        }

        return null;
    }

    private bool Fail(string problem)
    {
        Problem = problem;
        _rest = default;
        return false;
    }

    private readonly ushort Read16(ReadOnlySpan<byte> at) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(at) : BinaryPrimitives.ReadUInt16LittleEndian(at);
}
