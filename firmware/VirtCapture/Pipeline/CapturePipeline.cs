using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Pipeline;

/// <summary>
/// Runs the data path: frame source → filter → slicer → buffer → pcapng writer → ring files, on two dedicated
/// threads: <see cref="CaptureLoop"/> (source to buffer) and <see cref="WriterLoop"/> (buffer to ring, then the
/// segment observers). Neither blocks the other: a live source's capture thread never waits for the disk, it drops
/// and counts instead. Features plug in through annotators and observers; the pipeline names none of them.
/// </summary>
internal sealed class CapturePipeline : IDisposable
{
    private readonly IFrameSource _source;
    private readonly CaptureFilter _filter;
    private readonly Slicer _slicer;
    private readonly RingFileSet _ring;
    private readonly PipelineSettings _settings;
    private readonly TimeProvider _time;
    private readonly FrameBuffer _buffer;
    private readonly PortStage[] _stages;
    private readonly PipelineControl _control = new();
    private readonly CaptureLoop _capture;
    private readonly WriterLoop _writer;
    private readonly long _startNs;
    private Func<int, string?>[] _notes = [];

    /// <summary>Wires the stages together; <see cref="Start"/> runs them.</summary>
    public CapturePipeline(IFrameSource source, CaptureFilter filter, Slicer slicer, Func<byte[], Func<long, int, byte[]>, RingFileSet> ringFactory, PipelineSettings settings, TimeProvider time, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(ringFactory);
        _source = source;
        _filter = filter;
        _slicer = slicer;
        _settings = settings;
        _time = time;
        var ports = source.MaxPorts;
        _stages = new PortStage[ports];
        _startNs = NowNs();
        _buffer = new FrameBuffer(settings.BufferBytes, settings.SegmentBytes, ports, source.IsLive, settings.PublishAfter);
        _ring = ringFactory(FileHeader(), StatisticsBlocks);
        _capture = new CaptureLoop(source, filter, slicer, _buffer, _stages, _control, settings.FrameLimit, NowNs, log, InterfaceBlock);
        _writer = new WriterLoop(source, _buffer, _ring, _stages, _control, NowNs, log);
    }

    /// <summary>Completes when every file is closed.</summary>
    public Task Completion => _writer.Completion;

    /// <summary>What ended the capture abnormally (damaged input, a disk error), if anything.</summary>
    public Exception? Error => _control.Error;

    /// <summary>The ring, for its file list and stop reason.</summary>
    public RingFileSet Ring => _ring;

    /// <summary>The snaplen.</summary>
    public int Snaplen => _slicer.Snaplen;

    /// <summary>The ports being captured.</summary>
    public IReadOnlyList<CapturePort> Ports => _source.Ports;

    /// <summary>Bytes the capture thread allocated while running (0 on a healthy hot path, bar start-up).</summary>
    public long CaptureThreadAllocatedBytes => _capture.AllocatedBytes;

    /// <summary>
    /// Adds a frame annotator (capture thread) before <see cref="Start"/>: features plug in here, the pipeline does
    /// not know them.
    /// </summary>
    public void AddAnnotator(IFrameAnnotator annotator) => _capture.AddAnnotator(annotator);

    /// <summary>Adds a segment observer (writer thread) before <see cref="Start"/>.</summary>
    public void AddObserver(ISegmentObserver observer) => _writer.AddObserver(observer);

    /// <summary>Adds a block observer (capture thread) before <see cref="Start"/>.</summary>
    public void AddObserver(IBlockObserver observer) => _buffer.AddObserver(observer, _source.Ports);

    /// <summary>
    /// Adds a note to each port's interface statistics (a collector session's own counters), before
    /// <see cref="Start"/>: called on the writer thread as each file closes.
    /// </summary>
    public void AddStatisticsNote(Func<int, string?> note) => _notes = [.. _notes, note];

    /// <summary>Starts the capture and writer threads.</summary>
    public void Start()
    {
        new Thread(_capture.Run) { Name = "vc-capture", IsBackground = true, Priority = ThreadPriority.AboveNormal }.Start();
        new Thread(_writer.Run) { Name = "vc-writer", IsBackground = true }.Start();
    }

    /// <summary>Asks the capture to stop; buffered frames are still written and every file is closed.</summary>
    public void RequestStop() => _control.RequestStop();

    /// <summary>Records an event as a pcapng comment at this instant, in order with the frames around it.</summary>
    public void AddComment(string text, int port = 0, long? timestampNs = null) =>
        _capture.Record(PcapngBlocks.CommentPacket(port, timestampNs ?? NowNs(), text), port);

    /// <summary>Counters of every port at every stage.</summary>
    public IReadOnlyList<PortCounters> Counters()
    {
        var result = new PortCounters[_source.Ports.Count];
        for (var p = 0; p < result.Length; p++)
        {
            var source = _source.GetCounters(p);
            ref var stage = ref _stages[p];
            result[p] = new PortCounters(
                _source.Ports[p].Name,
                source.Received,
                source.KernelDropped,
                Volatile.Read(ref stage.Filtered),
                Volatile.Read(ref stage.Accepted),
                Volatile.Read(ref stage.BufferDropped) + Volatile.Read(ref stage.Unstored),
                Volatile.Read(ref stage.Written),
                Volatile.Read(ref stage.AcceptedBytes));
        }

        return result;
    }

    /// <summary>Each port's link as last seen by the capture thread.</summary>
    public PortLink Link(int port) => _source.GetLink(port);

    /// <inheritdoc/>
    public void Dispose()
    {
        _control.Dispose();
        _buffer.Dispose();
        _ring.Dispose();
    }

    private long NowNs() => (_time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    private byte[] FileHeader()
    {
        var writer = new ArrayBufferWriter<byte>(1024);
        var version = typeof(CapturePipeline).Assembly.GetName().Version?.ToString(3) ?? "0";
        PcapngBlocks.WriteSectionHeader(writer, _settings.Hardware, RuntimeInformation.OSDescription, $"VirtCapture {version}");
        foreach (var port in _source.Ports)
        {
            WriteInterface(writer, port);
        }

        return writer.WrittenSpan.ToArray();
    }

    // A port found while capturing (a collector's session), declared in the stream before its first frame.
    private byte[] InterfaceBlock(CapturePort port)
    {
        var writer = new ArrayBufferWriter<byte>(256);
        WriteInterface(writer, port);
        return writer.WrittenSpan.ToArray();
    }

    private void WriteInterface(ArrayBufferWriter<byte> writer, CapturePort port) =>
        PcapngBlocks.WriteInterfaceDescription(writer, port.Name, port.Description, port.LinkType, _slicer.Snaplen, _filter.Expression);

    // A file holds statistics for the interfaces it declares: a session found after it was closed is not in it.
    private byte[] StatisticsBlocks(long nowNs, int interfaces)
    {
        var writer = new ArrayBufferWriter<byte>(512);
        var counters = Counters();
        for (var p = 0; p < counters.Count && p < interfaces; p++)
        {
            var c = counters[p];
            var comment = c.BufferDropped > 0 ? $"{c.BufferDropped} frames dropped in the capture buffer (disk slower than the traffic)" : null;
            foreach (var note in _notes)
            {
                if (note(p) is { } text)
                {
                    comment = comment is null ? text : $"{comment}; {text}";
                }
            }

            PcapngBlocks.WriteInterfaceStatistics(writer, p, nowNs, new InterfaceStatistics(_startNs, c.Received, 0, c.Accepted, c.KernelDropped, c.Written, comment));
        }

        return writer.WrittenSpan.ToArray();
    }
}
