namespace VirtCapture.Pipeline;

/// <summary>
/// What the capture loop and the writer loop share besides the buffer: the request to stop, the first error, and
/// the cancellation that unblocks the capture loop when the writer fails.
/// </summary>
internal sealed class PipelineControl : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private volatile bool _stopRequested;

    public PipelineControl()
    {
        // Taken once: the capture thread may still look at it while the pipeline is disposed (cancelled first).
        Cancelled = _cancel.Token;
    }
    private Exception? _error;

    /// <summary>True once anyone asked the capture to end.</summary>
    public bool StopRequested => _stopRequested;

    /// <summary>Cancelled when the writer failed: a capture thread waiting for buffer room gives up.</summary>
    public CancellationToken Cancelled { get; }

    /// <summary>What ended the capture abnormally, if anything: the first error wins.</summary>
    public Exception? Error => Volatile.Read(ref _error);

    /// <summary>Asks both loops to finish (buffered frames are still written).</summary>
    public void RequestStop() => _stopRequested = true;

    /// <summary>Records the first error and stops.</summary>
    public void Fail(Exception error)
    {
        Interlocked.CompareExchange(ref _error, error, null);
        _stopRequested = true;
    }

    /// <summary>The writer failed: stop, and unblock the capture loop.</summary>
    public void Abort(Exception error)
    {
        Fail(error);
        _cancel.Cancel();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _cancel.Cancel();
        _cancel.Dispose();
    }
}
