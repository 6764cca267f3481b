namespace VirtCapture.Hal;

/// <summary>
/// Every failure the box reports to a person as one line: a bad setting or argument (a user error, exit 2) or a
/// device, file or library that failed (exit 1, and a FAULT on the panel). Anything else is a bug and is not caught
/// as one of these.
/// </summary>
public abstract class VirtCaptureException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected VirtCaptureException()
    {
    }

    /// <summary>Creates the exception with the line to show.</summary>
    protected VirtCaptureException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with the line to show and its cause.</summary>
    protected VirtCaptureException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>True for the user's mistake (fix the argument or setting), false for a failure of the world.</summary>
    public abstract bool IsUserError { get; }
}
