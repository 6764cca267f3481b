namespace VirtCapture.Hal.Bpf;

/// <summary>The native libpcap library could not be loaded.</summary>
public sealed class LibpcapMissingException : VirtCaptureException
{
    /// <summary>The one line shown to the user.</summary>
    public const string Advice = "libpcap is not installed: apt-get install libpcap0.8";

    /// <summary>Creates the exception.</summary>
    public LibpcapMissingException() : base(Advice)
    {
    }

    /// <summary>Creates the exception with the loader's error.</summary>
    public LibpcapMissingException(Exception inner) : base(Advice, inner)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public LibpcapMissingException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the loader's error.</summary>
    public LibpcapMissingException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <inheritdoc/>
    public override bool IsUserError => false;
}
