namespace VirtCapture;

/// <summary>A mistake of the user's (a bad argument, a bad setting): shown as one line, never as a stack trace.</summary>
public sealed class UserErrorException : VirtCapture.Hal.VirtCaptureException
{
    /// <summary>Creates the exception.</summary>
    public UserErrorException()
    {
    }

    /// <summary>Creates the exception with the line to show.</summary>
    public UserErrorException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with the line to show and a cause.</summary>
    public UserErrorException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <inheritdoc/>
    public override bool IsUserError => true;
}
