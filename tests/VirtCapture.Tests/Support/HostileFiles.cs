using System.Buffers.Binary;

namespace VirtCapture.Tests.Support;

/// <summary>Hand-made pcapng files with one hostile field each, as the adversary of the review made them.</summary>
public static class HostileFiles
{
    /// <summary>A packet block on interface 0x80000000 (a negative index once cast to int).</summary>
    public static byte[] InterfaceIdAbove2Pow31() => File(Header(), Block(6, Epb(0x80000000, 60)));

    /// <summary>A simple packet block claiming a wire length of 0x80000000.</summary>
    public static byte[] SimplePacketHugeWireLength()
    {
        var body = new byte[4 + 60];
        BinaryPrimitives.WriteUInt32LittleEndian(body, 0x80000000);
        return File(Header(), Block(3, body));
    }

    /// <summary>Good frames, then a packet block whose option runs past its block (tshark: "Not enough data").</summary>
    public static byte[] GoodFramesThenBadOption()
    {
        var good = Enumerable.Range(0, 5).Select(_ => Block(6, Epb(0, 60))).SelectMany(b => b).ToArray();
        var bad = Epb(0, 60);
        var withOption = new byte[bad.Length + 8];
        bad.CopyTo(withOption, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(withOption.AsSpan(bad.Length), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(withOption.AsSpan(bad.Length + 2), 254);
        return File(Header(), good, Block(6, withOption));
    }

    private static byte[] Header()
    {
        var shb = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(shb, 0x1A2B3C4D);
        BinaryPrimitives.WriteUInt16LittleEndian(shb.AsSpan(4), 1);
        BinaryPrimitives.WriteInt64LittleEndian(shb.AsSpan(8), -1);
        var idb = new byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(idb, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(idb.AsSpan(4), 65535);
        return [.. Block(0x0A0D0D0A, shb), .. Block(1, idb)];
    }

    private static byte[] Epb(uint iface, int length)
    {
        var body = new byte[20 + length];
        BinaryPrimitives.WriteUInt32LittleEndian(body, iface);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), 0x00062a1b);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(12), (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(16), (uint)length);
        body.AsSpan(20, 12).Fill(0xff);
        body[32] = 0x08;
        return body;
    }

    private static byte[] Block(uint type, byte[] body)
    {
        var padded = (body.Length + 3) & ~3;
        var block = new byte[12 + padded];
        BinaryPrimitives.WriteUInt32LittleEndian(block, type);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(4), (uint)block.Length);
        body.CopyTo(block, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(block.Length - 4), (uint)block.Length);
        return block;
    }

    private static byte[] File(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
