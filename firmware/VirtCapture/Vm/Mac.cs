namespace VirtCapture.Vm;

/// <summary>MAC addresses as text.</summary>
internal static class Mac
{
    public static string Format(ReadOnlySpan<byte> mac) =>
        string.Create(17, mac.ToArray(), static (span, bytes) =>
        {
            for (var i = 0; i < 6; i++)
            {
                bytes[i].TryFormat(span[(i * 3)..], out _, "x2", System.Globalization.CultureInfo.InvariantCulture);
                if (i < 5)
                {
                    span[(i * 3) + 2] = ':';
                }
            }
        });

    public static ulong Key(ReadOnlySpan<byte> mac) =>
        ((ulong)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(mac) << 16) | System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(mac[4..]);

    public static bool TryParse(string text, out byte[] mac)
    {
        mac = [];
        var hex = text.Replace(":", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        if (hex.Length != 12)
        {
            return false;
        }

        try
        {
            mac = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
