namespace VirtCapture.Fleet;

/// <summary>The broker credentials: one line <c>user:password</c> in a file only its owner may read (0600).</summary>
/// <param name="User">User name.</param>
/// <param name="Password">Password.</param>
internal sealed record FleetCredentials(string User, string Password)
{
    /// <summary>Reads <paramref name="path"/>; null when no file is configured.</summary>
    /// <exception cref="UserErrorException">Missing, readable by others, or not user:password.</exception>
    public static FleetCredentials? Read(string path)
    {
        if (path.Length == 0)
        {
            return null;
        }

        if (!File.Exists(path))
        {
            throw new UserErrorException($"Fleet:CredentialsFile {path} does not exist");
        }

        if ((File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
        {
            throw new UserErrorException($"Fleet:CredentialsFile {path} is readable by others: chmod 600 {path}");
        }

        var line = File.ReadAllText(path).Trim();
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 || line.Contains('\n', StringComparison.Ordinal)
            ? throw new UserErrorException($"Fleet:CredentialsFile {path} must hold one line user:password")
            : new FleetCredentials(line[..colon], line[(colon + 1)..]);
    }
}
