namespace VirtCapture.Configuration;

/// <summary>How the box sits on the link (<c>Capture:Mode</c>).</summary>
public enum CaptureMode
{
    /// <summary>Between host and switch: the two ports are bridged and the box forwards while it records.</summary>
    Inline,

    /// <summary>On SPAN or TAP outputs: the ports only listen, nothing is forwarded.</summary>
    Monitor,
}
