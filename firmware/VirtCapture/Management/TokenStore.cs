using System.Security.Cryptography;
using System.Text;

namespace VirtCapture.Management;

/// <summary>
/// The management API's bearer token: read from <c>Management:TokenFile</c>, or generated there (mode 0600) at first
/// start. Compared in constant time. The file is looked at again (at most once a second), so writing a new token into
/// it revokes the old one: requests with it are refused and the page's event streams end.
/// </summary>
internal sealed class TokenStore
{
    // Re-read at most this often: replacing the file's token revokes the old one without a restart.
    private static readonly TimeSpan ReadEvery = TimeSpan.FromSeconds(1);
    private volatile TokenState _current;

    public TokenStore(string path)
    {
        Path = path;
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
            var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            using (var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
            {
                file.Write(Encoding.ASCII.GetBytes(token + "\n"));
            }
        }

        _current = Read(path);
    }

    /// <summary>The token file.</summary>
    public string Path { get; }

    /// <summary>The token (the file's, as last read).</summary>
    public string Token => Current().Token;

    /// <summary>True when <paramref name="candidate"/> is the token; the time taken does not depend on how much matched.</summary>
    public bool Matches(string? candidate)
    {
        // Hashing first makes both sides the same length, so FixedTimeEquals compares every byte. The token's own hash
        // is taken here too, not when the file is read: a box nobody asks anything maps no OpenSSL (3.6 MB resident).
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(candidate ?? string.Empty));
        return CryptographicOperations.FixedTimeEquals(hash, SHA256.HashData(Encoding.UTF8.GetBytes(Current().Token)));
    }

    private TokenState Current()
    {
        var current = _current;
        if (DateTime.UtcNow - current.Checked < ReadEvery)
        {
            return current;
        }

        try
        {
            // A file being replaced, or one left too short, keeps the token in force: the box stays reachable.
            current = File.GetLastWriteTimeUtc(Path) == current.Written ? current with { Checked = DateTime.UtcNow } : Read(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or UserErrorException)
        {
            current = current with { Checked = DateTime.UtcNow };
        }

        _current = current;
        return current;
    }

    private static TokenState Read(string path)
    {
        var written = File.GetLastWriteTimeUtc(path);
        var token = File.ReadAllText(path).Trim();
        if (token.Length < 16)
        {
            throw new UserErrorException($"{path}: the token must be at least 16 characters");
        }

        return new TokenState(token, written, DateTime.UtcNow);
    }

    // One reference, swapped whole: readers on other threads never see half of an update.
    private sealed record TokenState(string Token, DateTime Written, DateTime Checked);
}
