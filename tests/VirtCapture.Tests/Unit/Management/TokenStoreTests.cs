using VirtCapture.Management;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Unit.Management;

/// <summary>The token file as the one authority: made at first start, and a new token written into it revokes the old.</summary>
public sealed class TokenStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_token_is_made_at_first_start_readable_by_its_owner_only()
    {
        var path = _dir.File("state/token");
        var tokens = new TokenStore(path);
        Assert.Equal(48, tokens.Token.Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.True(tokens.Matches(tokens.Token));
        Assert.False(tokens.Matches(tokens.Token[..^1]));
        Assert.False(tokens.Matches(null));
    }

    [Fact]
    public void A_new_token_in_the_file_replaces_the_old_one_and_a_short_one_is_ignored()
    {
        var path = _dir.File("token");
        File.WriteAllText(path, "the-first-token-0123456789\n");
        var tokens = new TokenStore(path);
        Assert.True(tokens.Matches("the-first-token-0123456789"));

        File.WriteAllText(path, "the-second-token-0123456789\n");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));
        Thread.Sleep(1100); // the file is looked at once a second at most
        Assert.True(tokens.Matches("the-second-token-0123456789"));
        Assert.False(tokens.Matches("the-first-token-0123456789"));

        // Half-written or too short: the token in force stays, so the box stays reachable.
        File.WriteAllText(path, "short\n");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(10));
        Thread.Sleep(1100);
        Assert.True(tokens.Matches("the-second-token-0123456789"));
    }
}
