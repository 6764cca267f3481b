using System.CommandLine.Parsing;
using System.Globalization;

namespace VirtCapture.Cli;

/// <summary>Numbers on the command line, with errors in the user's words ("-s abc: the snaplen must be a number").</summary>
internal static class CommandLineNumbers
{
    public static int Parse(ArgumentResult result, string option, string what)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"{option} {text}: {what} must be a number");
        return 0;
    }
}
