using Microsoft.Extensions.Options;

namespace VirtCapture.Configuration;

/// <summary>Checks the <c>Panel</c> section at start.</summary>
internal sealed class PanelOptionsValidator : IValidateOptions<PanelOptions>
{
    public ValidateOptionsResult Validate(string? name, PanelOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Board))
        {
            failures.Add("Panel:Board must name a board definition (sim, cm4-dual)");
        }

        if (options.MarkProtectMinutes is < 0 or > 10080)
        {
            failures.Add($"Panel:MarkProtectMinutes must be between 0 and 10080 (a week), got {options.MarkProtectMinutes}");
        }

        if (!(options.HoldSeconds is >= 0.5 and <= 30))
        {
            failures.Add($"Panel:HoldSeconds must be between 0.5 and 30, got {options.HoldSeconds}");
        }

        if (options.DebounceMs is < 0 or > 1000)
        {
            failures.Add($"Panel:DebounceMs must be between 0 and 1000, got {options.DebounceMs}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
