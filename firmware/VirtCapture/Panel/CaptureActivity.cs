namespace VirtCapture.Panel;

/// <summary>What the capture is doing.</summary>
public enum CaptureActivity
{
    /// <summary>Not capturing.</summary>
    Idle,

    /// <summary>Capturing.</summary>
    Capturing,

    /// <summary>Stopping: buffers draining, files closing.</summary>
    Stopping,
}
