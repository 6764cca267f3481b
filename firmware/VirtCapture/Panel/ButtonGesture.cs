namespace VirtCapture.Panel;

/// <summary>What one press of a holdable button turned out to be.</summary>
internal enum ButtonGesture
{
    /// <summary>Nothing to do: this press was decided already.</summary>
    None,

    /// <summary>A short press.</summary>
    Press,

    /// <summary>Held for at least the hold time.</summary>
    Hold,
}
