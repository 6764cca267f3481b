namespace VirtCapture.Configuration;

/// <summary>One capture port: <c>Capture:Ports:N:Name</c> and <c>Capture:Ports:N:Interface</c>.</summary>
public sealed class PortOptions
{
    /// <summary>Name shown to the user and written into the file ("A", "B").</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Linux interface name ("eth1", "port-a").</summary>
    public string Interface { get; set; } = string.Empty;

    /// <summary>A Linux interface name: 1 to 15 characters, none of them a slash, colon or space, not "." or "..".</summary>
    public static bool IsInterfaceName(string name) =>
        name.Length is >= 1 and <= 15 && name is not ("." or "..") && !name.Any(c => c is '/' or ':' or '\0' || char.IsWhiteSpace(c));
}
