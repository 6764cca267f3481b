namespace VirtCapture.Hal.Replay;

/// <summary>A capture file is damaged or of a form the box does not read. Names the file and the byte offset.</summary>
public sealed class CaptureFileFormatException : VirtCaptureException
{
    /// <summary>Creates the exception.</summary>
    public CaptureFileFormatException(string path, long offset, string reason)
        : base($"{path}: damaged at byte {offset}: {reason}")
    {
        Path = path;
        Offset = offset;
    }

    /// <summary>Creates the exception with a message.</summary>
    public CaptureFileFormatException() : this(string.Empty, 0, "unknown damage")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CaptureFileFormatException(string message) : base(message)
    {
        Path = string.Empty;
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public CaptureFileFormatException(string message, Exception inner) : base(message, inner)
    {
        Path = string.Empty;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Where the damage starts.</summary>
    public long Offset { get; }

    /// <inheritdoc/>
    public override bool IsUserError => false;
}
