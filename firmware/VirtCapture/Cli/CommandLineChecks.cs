using System.CommandLine;

namespace VirtCapture.Cli;

/// <summary>
/// What the parser lets through that is still a mistake: the daemon's commands take configuration overrides
/// (--Section:Key=value) and nothing else; every other command takes only its own options.
/// </summary>
internal static class CommandLineChecks
{
    /// <summary>The first word that is neither an option of the command nor a configuration override, if any.</summary>
    public static string? Unexpected(ParseResult parse, bool takesOverrides)
    {
        foreach (var token in parse.UnmatchedTokens)
        {
            if (!takesOverrides || !IsOverride(token))
            {
                return token;
            }
        }

        return null;
    }

    private static bool IsOverride(string token)
    {
        if (!token.StartsWith("--", StringComparison.Ordinal))
        {
            return false;
        }

        var equals = token.IndexOf('=', StringComparison.Ordinal);
        var key = equals > 0 ? token[2..equals] : token[2..];
        return equals > 0 && key.Contains(':', StringComparison.Ordinal) && !key.StartsWith(':') && !key.EndsWith(':');
    }
}
