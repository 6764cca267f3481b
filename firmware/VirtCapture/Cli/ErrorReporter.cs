using Microsoft.Extensions.Options;
using VirtCapture.Hal.Bpf;
using VirtCapture.Hal.Replay;

namespace VirtCapture.Cli;

/// <summary>Turns what went wrong into the one line a user sees, and the exit status.</summary>
internal static class ErrorReporter
{
    /// <summary>Exit status for a bad command line or configuration.</summary>
    public const int UsageError = 2;

    /// <summary>Exit status for everything else that failed.</summary>
    public const int Failure = 1;

    /// <summary>Writes the error lines to stderr and returns the exit status, or rethrows a programming error.</summary>
    public static int Report(Exception error, TextWriter stderr)
    {
        switch (error)
        {
            case AggregateException aggregate when aggregate.InnerExceptions.Count > 0:
                var status = 0;
                foreach (var inner in aggregate.Flatten().InnerExceptions)
                {
                    var one = Report(inner, stderr);
                    if (one < 0)
                    {
                        return -1;
                    }

                    status = Math.Max(status, one);
                }

                return status;
            case OptionsValidationException validation:
                foreach (var failure in validation.Failures)
                {
                    stderr.WriteLine($"virtcapture: configuration error: {failure}");
                }

                return UsageError;
            case InvalidOperationException when error.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal):
                stderr.WriteLine($"virtcapture: configuration error: {error.Message}");
                return UsageError;
            case System.Text.Json.JsonException or InvalidDataException when error.Message.Contains("json", StringComparison.OrdinalIgnoreCase):
                stderr.WriteLine($"virtcapture: configuration error: {OneLine(error.Message)}");
                return UsageError;
            case FileNotFoundException notFound:
                stderr.WriteLine($"virtcapture: {notFound.FileName ?? "file"}: no such file");
                return Failure;
            case Hal.VirtCaptureException reported:
                stderr.WriteLine($"virtcapture: {OneLine(reported.Message)}");
                return reported.IsUserError ? UsageError : Failure;
            case DirectoryNotFoundException or UnauthorizedAccessException or IOException or InvalidDataException:
                stderr.WriteLine($"virtcapture: {OneLine(error.Message)}");
                return Failure;
            default:
                return -1;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
