namespace VirtCapture.Panel;

/// <summary>The front panel's LEDs, in panel order.</summary>
public enum Led
{
    /// <summary>POWER.</summary>
    Power,

    /// <summary>CAPTURE.</summary>
    Capture,

    /// <summary>LINK-A.</summary>
    LinkA,

    /// <summary>LINK-B.</summary>
    LinkB,

    /// <summary>DROP.</summary>
    Drop,

    /// <summary>STORAGE.</summary>
    Storage,

    /// <summary>FAULT.</summary>
    Fault,
}
