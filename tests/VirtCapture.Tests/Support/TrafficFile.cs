using VirtCapture.Format.Pcap;
using VirtCapture.Hal.Replay;
using VirtCapture.Hal.Synthetic;

namespace VirtCapture.Tests.Support;

/// <summary>Makes replay inputs: VM-like traffic written as a nanosecond pcap.</summary>
public static class TrafficFile
{
    public const long Epoch = 1_764_000_000_000_000_000L;

    public static string Generate(string path, int frames, ulong seed = 3, long spacingNs = 1000)
    {
        var traffic = new SyntheticTraffic(seed, announceEvery: 97);
        var buffer = new byte[SyntheticTraffic.MaxFrameLength];
        using var writer = new ClassicPcapWriter(path);
        for (var i = 0; i < frames; i++)
        {
            var length = traffic.Next(buffer, out _);
            writer.Write(Epoch + (i * spacingNs), buffer.AsSpan(0, length));
        }

        return path;
    }
}
