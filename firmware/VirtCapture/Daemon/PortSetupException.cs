namespace VirtCapture.Daemon;

/// <summary>The capture ports could not be prepared (missing interface, an address, a failed ip command).</summary>
public sealed class PortSetupException : VirtCapture.Hal.VirtCaptureException
{
    /// <summary>Creates the exception.</summary>
    public PortSetupException()
    {
    }

    /// <summary>Creates the exception with the line to show.</summary>
    public PortSetupException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with the line to show and its cause.</summary>
    public PortSetupException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <inheritdoc/>
    public override bool IsUserError => false;
}
