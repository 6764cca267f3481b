using Microsoft.Extensions.Logging;
using VirtCapture.Hal.Frames;

namespace VirtCapture.Pipeline;

/// <summary>
/// One capture from start to stop: owns the source and every stage of the data path built over it. The command
/// line and the daemon both start captures through this type, so the two cannot drift.
/// </summary>
internal sealed class CaptureSession : IDisposable
{
    private readonly ILogger _log;
    private readonly CaptureFilter _filter;

    private CaptureSession(IFrameSource source, CaptureFilter filter, CapturePipeline pipeline, ILogger log)
    {
        Source = source;
        _filter = filter;
        Pipeline = pipeline;
        _log = log;
    }

    /// <summary>The frame source.</summary>
    public IFrameSource Source { get; }

    /// <summary>The running data path.</summary>
    public CapturePipeline Pipeline { get; }

    /// <summary>Copies of what is written, for live streams (a segment observer of the pipeline).</summary>
    public LiveTap Tap { get; } = new();

    /// <summary>The effective filter.</summary>
    public string Filter => _filter.Expression;

    /// <summary>The capture filter as compiled (with the VM selection).</summary>
    public string CompiledFilter => _filter.Compiled;

    /// <summary>
    /// Builds the data path over <paramref name="source"/>; takes ownership of the source (disposed on failure).
    /// </summary>
    /// <exception cref="Hal.Bpf.FilterCompileException">The filter is invalid.</exception>
    public static CaptureSession Create(IFrameSource source, EffectiveFilter filter, int snaplen, RingSettings ring, PipelineSettings settings, TimeProvider time, ILogger log, Func<string, (long Free, long Total)>? diskSpace = null, Func<string, bool>? isProtected = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        CaptureFilter? captureFilter = null;
        try
        {
            captureFilter = new CaptureFilter(filter, source.Ports, source.FiltersInKernel);
            var slicer = new Slicer(snaplen);
            var pipeline = new CapturePipeline(source, captureFilter, slicer, (header, stats) => new RingFileSet(ring, header, stats, time, log, diskSpace) { IsProtected = isProtected ?? (static _ => false) }, settings, time, log);
            var session = new CaptureSession(source, captureFilter, pipeline, log);
            pipeline.AddObserver(session.Tap);
            return session;
        }
        catch
        {
            captureFilter?.Dispose();
            source.Dispose();
            throw;
        }
    }

    /// <summary>Starts capturing.</summary>
    public void Start()
    {
        Log.CaptureStarted(_log, Source.GetType().Name, string.Join(", ", Source.Ports.Select(p => p.Name)), Filter);
        Pipeline.Start();
    }

    /// <summary>Stops, waits until every file is closed, and logs the counters.</summary>
    public async Task StopAsync()
    {
        Pipeline.RequestStop();
        await Pipeline.Completion.ConfigureAwait(false);
        LogCounters();
    }

    /// <summary>Logs every port's counters.</summary>
    public void LogCounters()
    {
        foreach (var c in Pipeline.Counters())
        {
            Log.PortCounters(_log, c.Port, c.Received, c.KernelDropped, c.FilteredOut, c.Accepted, c.BufferDropped, c.Written);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Pipeline.Dispose();
        _filter.Dispose();
        Source.Dispose();
    }
}
