using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using VirtCapture.Pipeline;

namespace VirtCapture.Pcapng;

/// <summary>
/// Recovers a pcapng file cut by a crash or power loss: walks the blocks, keeps every block that is whole and
/// well-formed (<see cref="PcapngBlockCheck"/>), cuts the rest, appends one statistics block per interface saying
/// what was kept, and renames <c>*.part</c> to its final name (a new one when that name is taken).
/// </summary>
internal static class PcapngRepair
{
    /// <summary>Suffix of what repair set aside.</summary>
    public const string DamagedSuffix = ".damaged";

    /// <summary>Repairs <paramref name="path"/> in place; returns the final path.</summary>
    /// <exception cref="InvalidDataException">The file does not start with a pcapng section header and interface.</exception>
    public static RepairResult Repair(string path, ILogger? log = null)
    {
        var isPart = path.EndsWith(RingFileSet.PartSuffix, StringComparison.Ordinal);
        var finalPath = isPart ? FreeName(path[..^RingFileSet.PartSuffix.Length]) : path;
        RepairResult result;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            var (scan, goodLength) = Scan(stream, path);
            var cut = stream.Length - goodLength;
            if (cut > 0 || isPart)
            {
                stream.SetLength(goodLength);
                stream.Seek(0, SeekOrigin.End);
                var writer = new ArrayBufferWriter<byte>(256);
                for (var i = 0; i < scan.Interfaces; i++)
                {
                    var comment = $"repaired after an unclean stop: {cut} damaged bytes cut ({scan.StopReason ?? "none"}); counters cover the frames kept";
                    var stats = new InterfaceStatistics(scan.Times.FirstNs, scan.FramesPerInterface[i], 0, scan.FramesPerInterface[i], 0, scan.FramesPerInterface[i], comment);
                    PcapngBlocks.WriteInterfaceStatistics(writer, i, scan.Times.NewestNs, stats);
                }

                stream.Write(writer.WrittenSpan);
                stream.Flush(flushToDisk: true);
            }

            result = new RepairResult(finalPath, scan.Blocks, scan.Frames, cut);
        }

        if (finalPath != path)
        {
            File.Move(path, finalPath, overwrite: false);
        }

        if (log is not null)
        {
            Log.Repaired(log, path, result.Blocks, result.Frames, result.CutBytes, finalPath);
        }

        return result;
    }

    /// <summary>
    /// Repairs every leftover <c>*.part</c> file in a directory. Whatever cannot be repaired is set aside as
    /// <c>*.damaged</c> (or removed when it holds nothing) and logged; nothing here stops the box from starting.
    /// </summary>
    public static int RepairDirectory(string directory, ILogger log)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var repaired = 0;
        foreach (var leftover in Directory.GetFiles(directory, "*" + DamagedSuffix))
        {
            // Empty remains of earlier crashes hold nothing to keep and would only confuse the listing.
            RemoveIfEmpty(leftover, log);
        }

        foreach (var part in Directory.GetFiles(directory, "*" + RingFileSet.PartSuffix))
        {
            if (!Storage.RegularFile.Is(part))
            {
                continue;
            }

            try
            {
                Repair(part, log);
                repaired++;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                SetAside(part, e.Message, log);
            }
        }

        return repaired;
    }

    private static void SetAside(string part, string reason, ILogger log)
    {
        try
        {
            if (RemoveIfEmpty(part, log))
            {
                return;
            }

            var damaged = FreeName(part[..^RingFileSet.PartSuffix.Length] + DamagedSuffix);
            File.Move(part, damaged, overwrite: false);
            Log.RepairFailed(log, part, reason, damaged);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.RepairFailed(log, part, $"{reason}; it could not be set aside either ({e.Message})", part);
        }
    }

    private static bool RemoveIfEmpty(string path, ILogger log)
    {
        try
        {
            if (new FileInfo(path).Length > 0)
            {
                return false;
            }

            File.Delete(path);
            Log.EmptyRemoved(log, path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary><paramref name="path"/> if no file has it, else the first free "name.N.ext".</summary>
    private static string FreeName(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            return path;
        }

        var directory = Path.GetDirectoryName(path)!;
        var name = Path.GetFileNameWithoutExtension(path);
        var extension = Path.GetExtension(path);
        for (var n = 1; ; n++)
        {
            var candidate = Path.Combine(directory, $"{name}.{n}{extension}");
            if (!File.Exists(candidate))
            {
                return candidate;
            }
        }
    }

    private static (RepairScan Scan, long GoodLength) Scan(FileStream stream, string path)
    {
        Span<byte> head = stackalloc byte[12];
        if (stream.Length >= 12)
        {
            RandomAccess.Read(stream.SafeFileHandle, head, 0);
            if (BinaryPrimitives.ReadUInt32LittleEndian(head) != PcapngBlocks.SectionHeaderType || BinaryPrimitives.ReadUInt32LittleEndian(head[8..]) != PcapngBlocks.ByteOrderMagic)
            {
                throw new InvalidDataException($"{path} does not start with a little-endian pcapng section header");
            }
        }

        var scan = new RepairScan(path);
        var end = PcapngFileScanner.Scan(stream.SafeFileHandle, 0, ref scan);
        scan.StopReason ??= end.Problem;
        if (scan.Blocks == 0)
        {
            throw new InvalidDataException(scan.StopReason is { } reason ? $"{path} holds no sound pcapng block ({reason})" : $"{path} holds no whole pcapng block");
        }

        if (scan.Interfaces == 0)
        {
            // A section header alone: nothing a reader could use, and statistics could name no interface. The file is
            // set aside whole rather than cut to its header.
            throw new InvalidDataException(scan.StopReason is { } reason
                ? $"{path} declares no interface a reader could use ({reason})"
                : $"{path} declares no interface: nothing was captured into it");
        }

        return (scan, end.Offset);
    }
}
