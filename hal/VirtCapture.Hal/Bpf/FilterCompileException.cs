namespace VirtCapture.Hal.Bpf;

/// <summary>libpcap refused a capture filter. The message quotes the filter and libpcap's reason.</summary>
public sealed class FilterCompileException : VirtCaptureException
{
    /// <summary>Creates the exception.</summary>
    public FilterCompileException(string filter, string reason)
        : base($"bad capture filter '{filter}': {reason}")
    {
        Filter = filter;
        Reason = reason;
    }

    /// <summary>Creates an exception without a filter.</summary>
    public FilterCompileException() : this(string.Empty, "unknown error")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public FilterCompileException(string message) : this(string.Empty, message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    public FilterCompileException(string message, Exception inner) : base(message, inner)
    {
        Filter = string.Empty;
        Reason = message;
    }

    /// <summary>The filter as the user wrote it.</summary>
    public string Filter { get; }

    /// <summary>libpcap's own message.</summary>
    public string Reason { get; }

    /// <inheritdoc/>
    public override bool IsUserError => true;
}
