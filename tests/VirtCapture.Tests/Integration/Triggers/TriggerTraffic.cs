using System.Buffers.Binary;
using VirtCapture.Format.Pcap;

namespace VirtCapture.Tests.Integration.Triggers;

/// <summary>
/// Ten minutes of UDP at 10 frames/s with TCP resets where the test wants them: every frame's time is known, so the
/// window an incident must hold is known too.
/// </summary>
internal static class TriggerTraffic
{
    public const long Epoch = 1_764_000_000_000_000_000L;
    public const long SpacingNs = 100_000_000;

    /// <summary>The frame time of frame <paramref name="index"/>.</summary>
    public static long TimeOf(int index) => Epoch + (index * SpacingNs);

    /// <summary>Writes <paramref name="frames"/> frames; those in <paramref name="resets"/> are TCP resets.</summary>
    public static string Write(string path, int frames, ISet<int> resets)
    {
        using var writer = new ClassicPcapWriter(path);
        var frame = new byte[60];
        for (var i = 0; i < frames; i++)
        {
            Build(frame, i, resets.Contains(i));
            writer.Write(TimeOf(i), frame);
        }

        return path;
    }

    private static void Build(Span<byte> frame, int index, bool reset)
    {
        frame.Clear();
        Convert.FromHexString("0050569a1002" + "0050569a1001" + "0800").CopyTo(frame);
        var ip = frame[14..];
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], 46);
        ip[8] = 64;
        ip[9] = reset ? (byte)6 : (byte)17;
        Convert.FromHexString("0a000001" + "0a000002").CopyTo(ip[12..]);
        var l4 = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(l4, 40000);
        BinaryPrimitives.WriteUInt16BigEndian(l4[2..], 5001);
        if (reset)
        {
            BinaryPrimitives.WriteUInt32BigEndian(l4[4..], (uint)index);
            l4[12] = 0x50;
            l4[13] = 0x14; // RST, ACK
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(l4[4..], 26);
            BinaryPrimitives.WriteUInt32BigEndian(l4[8..], (uint)index);
        }
    }
}
