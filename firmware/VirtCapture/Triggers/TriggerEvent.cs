namespace VirtCapture.Triggers;

/// <summary>A box event a trigger can fire on instead of a frame.</summary>
public enum TriggerEvent
{
    /// <summary>None: the trigger matches frames with its filter.</summary>
    None,

    /// <summary>A VM announced itself (RARP, gratuitous ARP, unsolicited NA) or was seen for the first time.</summary>
    Vm,

    /// <summary>A VM moved: between ports, teamed NICs or (with a fleet) boxes.</summary>
    Migration,

    /// <summary>A capture port's link went down.</summary>
    LinkDown,

    /// <summary>Frames were dropped (kernel or buffer).</summary>
    Drop,

    /// <summary>The MARK button or the API's mark.</summary>
    Mark,

    /// <summary>An event from another box of the fleet.</summary>
    Fleet,
}
