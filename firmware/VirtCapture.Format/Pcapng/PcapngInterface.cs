using System.Text;

namespace VirtCapture.Format.Pcapng;

/// <summary>
/// What an interface description block declares: link type, snaplen, name, description and the timestamp resolution
/// (if_tsresol, decimal or binary), with the conversion of that interface's timestamps to nanoseconds.
/// </summary>
public sealed class PcapngInterface
{
    private readonly long _multiplier;
    private readonly long _divisor;

    private PcapngInterface(int linkType, int snaplen, string? name, string? description, long multiplier, long divisor)
    {
        LinkType = linkType;
        Snaplen = snaplen;
        Name = name;
        Description = description;
        _multiplier = multiplier;
        _divisor = divisor;
    }

    /// <summary>The link type.</summary>
    public int LinkType { get; }

    /// <summary>The snaplen (0: none).</summary>
    public int Snaplen { get; }

    /// <summary>if_name, or null.</summary>
    public string? Name { get; }

    /// <summary>if_description, or null.</summary>
    public string? Description { get; }

    /// <summary>Reads an interface description block; null when it is too short to be one.</summary>
    public static PcapngInterface? Read(in PcapngBlock block)
    {
        if (block.Length < 20)
        {
            return null;
        }

        string? name = null;
        string? description = null;
        (long Multiplier, long Divisor) units = (1000, 1); // default resolution: microseconds
        var options = block.OptionsFrom(16);
        while (options.TryRead(out var code, out var value))
        {
            switch (code)
            {
                case 2:
                    name = Encoding.UTF8.GetString(value).TrimEnd('\0');
                    break;
                case 3:
                    description = Encoding.UTF8.GetString(value).TrimEnd('\0');
                    break;
                case 9 when value.Length >= 1:
                    units = Resolution(value[0]);
                    break;
            }
        }

        return new PcapngInterface(block.ReadUInt16(8), (int)Math.Min(block.ReadUInt32(12), int.MaxValue), name, description, units.Multiplier, units.Divisor);
    }

    /// <summary>A timestamp of this interface in nanoseconds since the epoch.</summary>
    public long ToNanoseconds(ulong ticks) => _divisor == 1
        ? (long)(ticks * (ulong)_multiplier)
        : (long)((UInt128)ticks * (ulong)_multiplier / (ulong)_divisor);

    private static (long Multiplier, long Divisor) Resolution(byte tsresol)
    {
        if ((tsresol & 0x80) == 0)
        {
            var exponent = tsresol;
            return exponent <= 9 ? ((long)Math.Pow(10, 9 - exponent), 1) : (1, (long)Math.Pow(10, Math.Min(18, exponent - 9)));
        }

        // Binary resolutions (2^-n s) are rare; keep ns exact enough by dividing a scaled value.
        var bits = tsresol & 0x7f;
        return (1_000_000_000L, 1L << Math.Min(bits, 62));
    }
}
