using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using VirtCapture.Hal.Frames;
using VirtCapture.Hal.Replay;
using VirtCapture.Pcapng;

namespace VirtCapture.Pipeline;

/// <summary>
/// Runs the data path: frame source → filter → slicer → buffer → pcapng writer → ring files. Two dedicated
/// threads: the capture thread reads batches from the source and runs filter, slicer and buffer; the writer thread
/// drains the buffer into the ring. Neither blocks the other: a live source's capture thread never waits for the
/// disk, it drops and counts instead.
/// </summary>
internal sealed class CapturePipeline : IDisposable
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);

    private readonly IFrameSource _source;
    private readonly CaptureFilter _filter;
    private readonly Slicer _slicer;
    private readonly RingFileSet _ring;
    private readonly PipelineSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly FrameBuffer _buffer;
    private readonly CancellationTokenSource _cancel = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<byte[]> _comments = new();
    private readonly long[] _filtered;
    private readonly long[] _accepted;
    private readonly long[] _bufferDropped;
    private readonly long[] _pendingDrops;
    private readonly long[] _kernelDropsSeen;
    private readonly long[] _written;

    /// <summary>Frames the writer could not store because the ring had stopped (disk full, OnFull=Stop): dropped too.</summary>
    private readonly long[] _unstored;
    private readonly long[] _writtenBefore;
    private readonly long _startNs;
    private volatile bool _stopRequested;
    private long _taken;
    private bool _bufferFullLogged;
    private bool _limitReached;
    private readonly PortLink[] _links;
    private readonly long[] _linkDownSince;
    private Exception? _error;
    private IFrameAnnotator[] _annotators = [];
    private readonly FrameComments _annotations = new();

    /// <summary>The source's ports as an array: indexed per frame, without an interface call.</summary>
    private readonly CapturePort[] _ports;
    private ISegmentObserver[] _observers = [];

    /// <summary>Wires the stages together; <see cref="Start"/> runs them.</summary>
    public CapturePipeline(IFrameSource source, CaptureFilter filter, Slicer slicer, Func<byte[], Func<long, byte[]>, RingFileSet> ringFactory, PipelineSettings settings, TimeProvider time, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(ringFactory);
        _source = source;
        _filter = filter;
        _slicer = slicer;
        _settings = settings;
        _time = time;
        _log = log;
        var ports = source.Ports.Count;
        _filtered = new long[ports];
        _accepted = new long[ports];
        _bufferDropped = new long[ports];
        _pendingDrops = new long[ports];
        _kernelDropsSeen = new long[ports];
        _written = new long[ports];
        _unstored = new long[ports];
        _writtenBefore = new long[ports];
        _links = Enumerable.Range(0, ports).Select(source.GetLink).ToArray();
        _ports = [.. source.Ports];
        _linkDownSince = new long[ports];
        _startNs = NowNs();
        _buffer = new FrameBuffer(settings.BufferBytes, settings.SegmentBytes, ports, source.IsLive, settings.PublishAfter);
        _ring = ringFactory(FileHeader(), StatisticsBlocks);
    }

    /// <summary>Completes when every file is closed.</summary>
    public Task Completion => _completion.Task;

    /// <summary>What ended the capture abnormally (damaged input, a disk error), if anything.</summary>
    public Exception? Error => _error;

    /// <summary>The ring, for its file list and stop reason.</summary>
    public RingFileSet Ring => _ring;

    /// <summary>
    /// Writer thread, after each segment is stored: observers that must see every frame (the VM inventory) read the
    /// segment in place, without a copy.
    /// </summary>


    /// <summary>
    /// Adds a frame annotator (capture thread) before <see cref="Start"/>: features plug in here, the pipeline does
    /// not know them.
    /// </summary>
    public void AddAnnotator(IFrameAnnotator annotator) => _annotators = [.. _annotators, annotator];

    /// <summary>Adds a segment observer (writer thread) before <see cref="Start"/>.</summary>
    public void AddObserver(ISegmentObserver observer) => _observers = [.. _observers, observer];

    /// <summary>The snaplen.</summary>
    public int Snaplen => _slicer.Snaplen;

    /// <summary>The ports being captured.</summary>
    public IReadOnlyList<CapturePort> Ports => _source.Ports;

    /// <summary>Bytes the capture thread allocated while running (0 on a healthy hot path, bar start-up).</summary>
    public long CaptureThreadAllocatedBytes { get; private set; }

    /// <summary>Starts the capture and writer threads.</summary>
    public void Start()
    {
        new Thread(CaptureLoop) { Name = "vc-capture", IsBackground = true, Priority = ThreadPriority.AboveNormal }.Start();
        new Thread(WriterLoop) { Name = "vc-writer", IsBackground = true }.Start();
    }

    /// <summary>Asks the capture to stop; buffered frames are still written and every file is closed.</summary>
    public void RequestStop() => _stopRequested = true;

    /// <summary>Records an event as a pcapng comment at this instant, in order with the frames around it.</summary>
    public void AddComment(string text, int port = 0, long? timestampNs = null)
    {
        _comments.Enqueue(PcapngBlocks.CommentPacket(port, timestampNs ?? NowNs(), text));
    }

    /// <summary>Counters of every port at every stage.</summary>
    public IReadOnlyList<PortCounters> Counters()
    {
        var result = new PortCounters[_source.Ports.Count];
        for (var p = 0; p < result.Length; p++)
        {
            var source = _source.GetCounters(p);
            result[p] = new PortCounters(_source.Ports[p].Name, source.Received, source.KernelDropped, Volatile.Read(ref _filtered[p]), Volatile.Read(ref _accepted[p]), Volatile.Read(ref _bufferDropped[p]) + Volatile.Read(ref _unstored[p]), Volatile.Read(ref _written[p]));
        }

        return result;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _cancel.Cancel();
        _buffer.Dispose();
        _ring.Dispose();
        _cancel.Dispose();
    }

    private void CaptureLoop()
    {
        var allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            while (!_stopRequested)
            {
                while (_comments.TryDequeue(out var comment))
                {
                    _buffer.TryAppendBlock(comment, _cancel.Token);
                }

                var result = _source.ReadBatch(out var batch, PollTimeout);
                if (result == BatchResult.EndOfInput)
                {
                    break;
                }

                if (result == BatchResult.Frames)
                {
                    Process(batch);
                }

                if (_source.IsLive)
                {
                    CollectKernelDrops();
                    WatchLinks();
                    _buffer.PublishIfStale();
                }
            }

            if (_source.IsLive && !_limitReached)
            {
                Drain();
            }
        }
        catch (OperationCanceledException)
        {
            // The writer failed and cancelled us; its error is the one reported.
        }
        catch (Exception e) when (e is CaptureFileFormatException or IOException)
        {
            _error ??= e;
        }
        catch (Exception e)
        {
            // A reader's bug must not take the box down with every file it has written: the capture stops with
            // a fault naming it, the files are closed, and the management port stays up to say so.
            Log.CaptureFailed(_log, $"{e.GetType().Name} on the capture thread: {e}");
            _error ??= new IOException($"the capture stopped on an internal error ({e.GetType().Name}: {e.Message}); the files so far are closed", e);
        }
        finally
        {
            CaptureThreadAllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - allocatedAtStart;
            _buffer.Complete();
        }
    }

    private void Process(FrameBatch batch)
    {
        var annotations = _annotations;
        annotations.Clear();
        foreach (var annotator in _annotators)
        {
            annotator.Annotate(batch, _ports, annotations);
        }

        var frames = batch.Frames;
        var acceptsAll = _filter.AcceptsAll;
        var annotated = annotations.Count > 0;
        var limit = _settings.FrameLimit;
        for (var i = 0; i < frames.Length; i++)
        {
            ref readonly var frame = ref frames[i];
            var bytes = batch.Bytes(frame);
            var port = frame.Port;
            if (!acceptsAll && !_filter.Accepts(frame, bytes))
            {
                _filtered[port]++;
                continue;
            }

            _accepted[port]++;
            var comment = annotated ? annotations.Take(i) : default;
            if (_buffer.TryAppend(frame, bytes, _slicer.SlicedLength(frame), _pendingDrops[port], _cancel.Token, comment))
            {
                _pendingDrops[port] = 0;
            }
            else
            {
                _bufferDropped[port]++;
                _pendingDrops[port]++;
                if (!_bufferFullLogged)
                {
                    _bufferFullLogged = true;
                    Log.BufferFull(_log);
                }
            }

            if (limit > 0 && ++_taken >= limit)
            {
                _limitReached = true;
                _stopRequested = true;
                return;
            }
        }
    }

    private void Drain()
    {
        // Frames already in the kernel's ring when the stop came are recorded too, so that what the kernel
        // counted as received is what the files hold, less what it dropped.
        var deadline = DateTime.UtcNow.AddSeconds(1);
        while (DateTime.UtcNow < deadline && _source.ReadBatch(out var batch, PollTimeout) == BatchResult.Frames)
        {
            Process(batch);
        }

        CollectKernelDrops();
    }

    private void WatchLinks()
    {
        for (var p = 0; p < _links.Length; p++)
        {
            var link = _source.GetLink(p);
            if (link.Up == _links[p].Up)
            {
                continue;
            }

            _links[p] = link;
            var port = _source.Ports[p];
            var now = NowNs();
            string detail;
            if (link.Up)
            {
                var speed = link.SpeedMbps > 0 ? $", {link.SpeedMbps} Mb/s" : string.Empty;
                detail = _linkDownSince[p] > 0
                    ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" after {(now - _linkDownSince[p]) / 1e9:F1} s down{speed}")
                    : speed;
            }
            else
            {
                _linkDownSince[p] = now;
                detail = ": frames on this port are not seen until it comes back";
            }

            var state = link.Up ? "up" : "down";
            Log.LinkChanged(_log, state, port.Description, detail);
            _buffer.TryAppendBlock(PcapngBlocks.CommentPacket(p, now, $"link {state} on port {port.Name}{detail}"), _cancel.Token);
        }
    }

    /// <summary>Each port's link as last seen by the capture thread.</summary>
    public PortLink Link(int port) => _source.GetLink(port);

    private void CollectKernelDrops()
    {
        for (var p = 0; p < _kernelDropsSeen.Length; p++)
        {
            var total = _source.GetCounters(p).KernelDropped;
            if (total > _kernelDropsSeen[p])
            {
                // Reported on the next frame of that port as epb_dropcount.
                _pendingDrops[p] += total - _kernelDropsSeen[p];
                _kernelDropsSeen[p] = total;
            }
        }
    }

    private void WriterLoop()
    {
        try
        {
            if (_source.IsLive)
            {
                _ring.EnsureOpen(NowNs());
            }

            while (true)
            {
                var segment = _buffer.Take(PollTimeout);
                if (segment is not null)
                {
                    _written.CopyTo(_writtenBefore, 0);
                    if (!_ring.Stopped && !_ring.Write(segment, RingClockNs(), _written))
                    {
                        _stopRequested = true;
                    }

                    if (_ring.Stopped)
                    {
                        // Accepted but not stored: every frame is either written or counted as dropped.
                        for (var p = 0; p < _unstored.Length && p < segment.FramesPerPort.Length; p++)
                        {
                            Volatile.Write(ref _unstored[p], _unstored[p] + segment.FramesPerPort[p] - (_written[p] - _writtenBefore[p]));
                        }
                    }

                    foreach (var observer in _observers)
                    {
                        observer.SegmentWritten(segment, _source.Ports);
                    }

                    _buffer.Return(segment);
                }
                else if (_buffer.IsDrained)
                {
                    break;
                }

                if (!_ring.Stopped)
                {
                    _ring.Tick(RingClockNs());
                }

                if (_ring.Stopped)
                {
                    // OnFull=Stop (or nothing left to delete): the capture ends, the files stay as they are.
                    _stopRequested = true;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.WriteFailed(_log, _ring.CurrentPath ?? "the capture directory", e.Message);
            _error ??= e as IOException ?? new IOException($"cannot write {_ring.CurrentPath ?? "the capture directory"}: permission denied", e);
            _stopRequested = true;
            _cancel.Cancel();
        }
        finally
        {
            CloseRing();
            foreach (var observer in _observers)
            {
                observer.CaptureEnded();
            }

            _completion.TrySetResult();
        }
    }

    private void CloseRing()
    {
        try
        {
            // A capture that matched nothing still leaves a valid, empty file, as tcpdump and dumpcap do.
            if (_error is null && _ring.Finished.Count == 0 && !_ring.Stopped)
            {
                _ring.EnsureOpen(NowNs());
            }

            _ring.Close(NowNs());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _error ??= e as IOException ?? new IOException(e.Message, e);
            Log.WriteFailed(_log, _ring.CurrentPath ?? "the capture directory", e.Message);
        }
    }

    // A file's clock is its frames' timestamps: rotating a replay of last week by today's wall clock would be wrong.
    private long RingClockNs() => _source.IsLive ? NowNs() : _ring.LastFrameNs;

    private long NowNs() => (_time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    private byte[] FileHeader()
    {
        var writer = new ArrayBufferWriter<byte>(1024);
        var version = typeof(CapturePipeline).Assembly.GetName().Version?.ToString(3) ?? "0";
        PcapngBlocks.WriteSectionHeader(writer, _settings.Hardware, RuntimeInformation.OSDescription, $"VirtCapture {version}");
        foreach (var port in _source.Ports)
        {
            PcapngBlocks.WriteInterfaceDescription(writer, port.Name, port.Description, port.LinkType, _slicer.Snaplen, _filter.Expression);
        }

        return writer.WrittenSpan.ToArray();
    }

    private byte[] StatisticsBlocks(long nowNs)
    {
        var writer = new ArrayBufferWriter<byte>(512);
        var counters = Counters();
        for (var p = 0; p < counters.Count; p++)
        {
            var c = counters[p];
            var comment = c.BufferDropped > 0 ? $"{c.BufferDropped} frames dropped in the capture buffer (disk slower than the traffic)" : null;
            PcapngBlocks.WriteInterfaceStatistics(writer, p, nowNs, new InterfaceStatistics(_startNs, c.Received, 0, c.Accepted, c.KernelDropped, c.Written, comment));
        }

        return writer.WrittenSpan.ToArray();
    }
}
