using Microsoft.Extensions.Options;
using VirtCapture.Pipeline;

namespace VirtCapture.Configuration;

/// <summary>Checks the <c>Storage</c> section at start.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            failures.Add("Storage:Directory must name the capture directory");
        }
        else if (File.Exists(options.Directory) || (Directory.Exists(options.Directory) is false && File.Exists(Path.GetDirectoryName(Path.GetFullPath(options.Directory)))))
        {
            failures.Add($"Storage:Directory '{options.Directory}' is a file, not a directory");
        }

        if (options.FileSizeMB < 0)
        {
            failures.Add($"Storage:FileSizeMB must be 0 (no limit) or more, got {options.FileSizeMB}");
        }

        if (options.FileDurationSeconds < 0)
        {
            failures.Add($"Storage:FileDurationSeconds must be 0 (no limit) or more, got {options.FileDurationSeconds}");
        }

        if (options.MaxFiles < 0)
        {
            failures.Add($"Storage:MaxFiles must be 0 (no limit) or more, got {options.MaxFiles}");
        }

        if (options.KeepSeconds is < 0 or > 31_622_400)
        {
            failures.Add($"Storage:KeepSeconds must be 0 (off) or up to 31622400 (a year), got {options.KeepSeconds}");
        }
        else if (options.KeepSeconds > 0 && options.FileDurationSeconds > options.KeepSeconds)
        {
            failures.Add($"Storage:FileDurationSeconds ({options.FileDurationSeconds}) must not exceed Storage:KeepSeconds ({options.KeepSeconds}): a file is deleted only when all of it is older");
        }

        if (options.IncidentDirectory.Length > 0 && File.Exists(options.IncidentDirectory))
        {
            failures.Add($"Storage:IncidentDirectory '{options.IncidentDirectory}' is a file, not a directory");
        }

        if (!(options.MinFreePercent is >= 0 and < 100))
        {
            failures.Add($"Storage:MinFreePercent must be from 0 to 99, got {options.MinFreePercent}");
        }

        if (options.FsyncIntervalMs is < 10 or > 60_000)
        {
            failures.Add($"Storage:FsyncIntervalMs must be between 10 and 60000, got {options.FsyncIntervalMs}");
        }

        CaptureOptionsValidator.OneOf(failures, "Storage:OnFull", options.OnFull, Enum.GetNames<StorageFullPolicy>());
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
