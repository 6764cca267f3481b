using VirtCapture.Hal.Bpf;
using VirtCapture.Hal.Frames;
using VirtCapture.Hal.Replay;

namespace VirtCapture.Pcapng;

/// <summary>
/// The frames of a time window, read from the ring files that overlap it and written, in file order, into one pcapng
/// stream: the one extract behind <c>/api/packets</c> and the incidents. A file's unfinished last block (the file being
/// written) ends that file's part; a file that cannot be opened is left out.
/// </summary>
internal static class RingWindow
{
    /// <summary>Copies the window's frames that match <paramref name="filter"/> (and are on <paramref name="port"/>).</summary>
    /// <param name="writer">Where the frames go; flushed whenever its chunk is full.</param>
    /// <param name="paths">The files, oldest first.</param>
    /// <param name="fromNs">Window start, inclusive.</param>
    /// <param name="toNs">Window end, inclusive.</param>
    /// <param name="filter">A BPF filter, already checked.</param>
    /// <param name="port">A port name, or null for every port.</param>
    /// <param name="snaplen">Bytes kept per frame.</param>
    /// <param name="comment">A frame's comment (UTF-8) or empty, by frame; null for none.</param>
    /// <param name="cancel">Ends the copy.</param>
    /// <returns>The interfaces written, or null when no file gave a frame or a header.</returns>
    public static async Task<IReadOnlyList<CapturePort>?> CopyAsync(PcapngStreamWriter writer, IEnumerable<string> paths, long fromNs, long toNs, string filter, string? port, int snaplen, Func<FrameRecord, byte[]?>? comment, CancellationToken cancel)
    {
        var programs = new Dictionary<int, BpfFilterProgram>();
        IReadOnlyList<CapturePort>? section = null;
        try
        {
            foreach (var path in paths)
            {
                using var source = OpenOrNull(path);
                if (source is null)
                {
                    continue;
                }

                if (section is null || !SameInterfaces(section, source.Ports))
                {
                    writer.Section(source.Ports, snaplen, filter);
                    section = source.Ports;
                }

                var portIndex = port is null ? -1 : IndexOf(source.Ports, port);
                if (port is not null && portIndex < 0)
                {
                    continue;
                }

                while (true)
                {
                    BatchResult result;
                    FrameBatch batch;
                    try
                    {
                        result = source.ReadBatch(out batch, TimeSpan.Zero);
                    }
                    catch (CaptureFileFormatException)
                    {
                        // The file being written ends in a partial block: everything before it was sent.
                        break;
                    }

                    if (result != BatchResult.Frames)
                    {
                        break;
                    }

                    // A collector's file declares its sessions as they were found: so does the extract.
                    writer.Declare(source.Ports);
                    Send(writer, batch, source.Ports, programs, fromNs, toNs, portIndex, snaplen, filter, comment);
                    if (writer.Full)
                    {
                        await writer.FlushAsync(cancel).ConfigureAwait(false);
                    }
                }

                if (source.Ports.Count > section.Count)
                {
                    section = source.Ports;
                }
            }
        }
        finally
        {
            foreach (var program in programs.Values)
            {
                program.Dispose();
            }
        }

        return section;
    }

    private static void Send(PcapngStreamWriter writer, FrameBatch batch, IReadOnlyList<CapturePort> ports, Dictionary<int, BpfFilterProgram> programs, long fromNs, long toNs, int portIndex, int snaplen, string filter, Func<FrameRecord, byte[]?>? comment)
    {
        foreach (ref readonly var frame in batch.Frames)
        {
            if (frame.TimestampNs < fromNs || frame.TimestampNs > toNs || (portIndex >= 0 && frame.Port != portIndex))
            {
                continue;
            }

            var linkType = ports[frame.Port].LinkType;
            if (!programs.TryGetValue(linkType, out var program))
            {
                program = programs[linkType] = BpfFilterProgram.Compile(filter, linkType);
            }

            var bytes = batch.Bytes(frame);
            if (program.Matches(bytes, frame.WireLength))
            {
                writer.Frame(frame, bytes, snaplen, comment?.Invoke(frame));
            }
        }
    }

    // One section goes on across files whose interfaces agree as far as both go: the ring's files all start with the
    // ports, and a collector's later files hold the sessions the earlier ones found as they went.
    private static bool SameInterfaces(IReadOnlyList<CapturePort> section, IReadOnlyList<CapturePort> file)
    {
        for (var i = 0; i < Math.Min(section.Count, file.Count); i++)
        {
            if (section[i].Name != file[i].Name || section[i].LinkType != file[i].LinkType)
            {
                return false;
            }
        }

        return true;
    }

    private static ReplayFrameSource? OpenOrNull(string path)
    {
        // Opened like a download: no link followed, no FIFO opened, between the listing and the reading either.
        var handle = Storage.RegularFile.OpenHandle(path);
        if (handle is null)
        {
            return null;
        }

        try
        {
            return new ReplayFrameSource(path, handle);
        }
        catch (Exception e) when (e is CaptureFileFormatException or IOException)
        {
            return null;
        }
    }

    private static int IndexOf(IReadOnlyList<CapturePort> ports, string name)
    {
        for (var i = 0; i < ports.Count; i++)
        {
            if (string.Equals(ports[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
