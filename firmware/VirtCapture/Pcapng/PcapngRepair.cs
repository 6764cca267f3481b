using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using VirtCapture.Pipeline;

namespace VirtCapture.Pcapng;

/// <summary>
/// Recovers a pcapng file cut by a crash or power loss: walks the blocks, keeps every whole block whose leading
/// and trailing lengths agree, cuts the rest, appends one statistics block per interface saying what was kept,
/// and renames <c>*.part</c> to its final name.
/// </summary>
internal static class PcapngRepair
{
    /// <summary>Repairs <paramref name="path"/> in place; returns the final path.</summary>
    /// <exception cref="InvalidDataException">The file does not start with a pcapng section header.</exception>
    public static RepairResult Repair(string path, ILogger? log = null)
    {
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            var scan = Scan(stream, path);
            var cut = stream.Length - scan.GoodLength;
            if (cut > 0 || path.EndsWith(RingFileSet.PartSuffix, StringComparison.Ordinal))
            {
                stream.SetLength(scan.GoodLength);
                stream.Seek(0, SeekOrigin.End);
                var writer = new ArrayBufferWriter<byte>(256);
                for (var i = 0; i < scan.Interfaces; i++)
                {
                    var comment = $"repaired after an unclean stop: {cut} damaged bytes cut; counters cover the frames kept";
                    var stats = new InterfaceStatistics(scan.FirstTimestampNs, scan.FramesPerInterface[i], 0, scan.FramesPerInterface[i], 0, scan.FramesPerInterface[i], comment);
                    PcapngBlocks.WriteInterfaceStatistics(writer, i, scan.LastTimestampNs, stats);
                }

                stream.Write(writer.WrittenSpan);
                stream.Flush(flushToDisk: true);
            }

            var finalPath = path.EndsWith(RingFileSet.PartSuffix, StringComparison.Ordinal) ? path[..^RingFileSet.PartSuffix.Length] : path;
            var result = new RepairResult(finalPath, scan.Blocks, scan.Frames, cut);
            stream.Dispose();
            if (finalPath != path)
            {
                File.Move(path, finalPath, overwrite: false);
            }

            if (log is not null)
            {
                Log.Repaired(log, path, scan.Blocks, scan.Frames, cut, finalPath);
            }

            return result;
        }
    }

    /// <summary>Repairs every leftover <c>*.part</c> file in a directory; unrepairable ones become <c>*.damaged</c>.</summary>
    public static int RepairDirectory(string directory, ILogger log)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var repaired = 0;
        foreach (var part in Directory.GetFiles(directory, "*" + RingFileSet.PartSuffix))
        {
            try
            {
                Repair(part, log);
                repaired++;
            }
            catch (InvalidDataException e)
            {
                var damaged = part[..^RingFileSet.PartSuffix.Length] + ".damaged";
                File.Move(part, damaged, overwrite: true);
                Log.RepairFailed(log, part, e.Message, damaged);
            }
        }

        return repaired;
    }

    private static ScanResult Scan(FileStream stream, string path)
    {
        var length = stream.Length;
        Span<byte> head = stackalloc byte[32];
        var result = new ScanResult();
        var offset = 0L;
            while (offset + 12 <= length)
            {
                stream.Position = offset;
                stream.ReadExactly(head[..12]);
                var type = BinaryPrimitives.ReadUInt32LittleEndian(head);
                var blockLength = BinaryPrimitives.ReadUInt32LittleEndian(head[4..]);
                if (offset == 0)
                {
                    if (type != PcapngBlocks.SectionHeaderType || BinaryPrimitives.ReadUInt32LittleEndian(head[8..]) != 0x1A2B3C4D)
                    {
                        throw new InvalidDataException($"{path} does not start with a little-endian pcapng section header");
                    }
                }
                else if (type == PcapngBlocks.SectionHeaderType || type == 0)
                {
                    break;
                }

                if (blockLength < 12 || blockLength % 4 != 0 || offset + blockLength > length)
                {
                    break;
                }

                stream.Position = offset + blockLength - 4;
                stream.ReadExactly(head[..4]);
                if (BinaryPrimitives.ReadUInt32LittleEndian(head) != blockLength)
                {
                    break;
                }

                if (type == PcapngBlocks.InterfaceDescriptionType)
                {
                    result.Interfaces++;
                    result.FramesPerInterface.Add(0);
                }
                else if (type == PcapngBlocks.EnhancedPacketType && blockLength >= 32)
                {
                    stream.Position = offset + 8;
                    stream.ReadExactly(head[..12]);
                    var iface = (int)BinaryPrimitives.ReadUInt32LittleEndian(head);
                    var ts = ((long)BinaryPrimitives.ReadUInt32LittleEndian(head[4..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(head[8..]);
                    if (iface >= result.Interfaces)
                    {
                        break;
                    }

                    result.FramesPerInterface[iface]++;
                    result.Frames++;
                    if (result.FirstTimestampNs == 0)
                    {
                        result.FirstTimestampNs = ts;
                    }

                    result.LastTimestampNs = Math.Max(result.LastTimestampNs, ts);
                }

                result.Blocks++;
                offset += blockLength;
                result.GoodLength = offset;
            }

        if (result.Blocks == 0)
        {
            throw new InvalidDataException($"{path} holds no whole pcapng block");
        }

        return result;
    }

    private sealed class ScanResult
    {
        public long GoodLength { get; set; }

        public long Blocks { get; set; }

        public long Frames { get; set; }

        public int Interfaces { get; set; }

        public List<long> FramesPerInterface { get; } = [];

        public long FirstTimestampNs { get; set; }

        public long LastTimestampNs { get; set; }
    }
}
