using System.Security.Cryptography;
using System.Text;

namespace VirtCapture.Management;

/// <summary>
/// The management API's bearer token: read from <c>Management:TokenFile</c>, or generated there (mode 0600) at first
/// start. Compared in constant time.
/// </summary>
internal sealed class TokenStore
{
    private readonly byte[] _hash;

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

        Token = File.ReadAllText(path).Trim();
        if (Token.Length < 16)
        {
            throw new UserErrorException($"{path}: the token must be at least 16 characters");
        }

        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(Token));
    }

    /// <summary>The token file.</summary>
    public string Path { get; }

    /// <summary>The token.</summary>
    public string Token { get; }

    /// <summary>True when <paramref name="candidate"/> is the token; the time taken does not depend on how much matched.</summary>
    public bool Matches(string? candidate)
    {
        // Hashing first makes both sides the same length, so FixedTimeEquals compares every byte.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(candidate ?? string.Empty));
        return CryptographicOperations.FixedTimeEquals(hash, _hash);
    }
}
