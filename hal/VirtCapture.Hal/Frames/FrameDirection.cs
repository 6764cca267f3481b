namespace VirtCapture.Hal.Frames;

/// <summary>Direction of a frame relative to the port that saw it, as in pcapng's epb_flags bits 0-1.</summary>
public enum FrameDirection : byte
{
    /// <summary>Not known (no epb_flags direction is written).</summary>
    Unknown = 0,

    /// <summary>Received on the port.</summary>
    Inbound = 1,

    /// <summary>Sent from the port.</summary>
    Outbound = 2,
}
