using Microsoft.Extensions.Options;

namespace VirtCapture.Vm;

/// <summary>Checks the <c>Vm</c> section at start.</summary>
internal sealed class VmOptionsValidator : IValidateOptions<VmOptions>
{
    public ValidateOptionsResult Validate(string? name, VmOptions options)
    {
        var failures = new List<string>();
        if (options.IdleSeconds is < 1 or > 31_536_000)
        {
            failures.Add($"Vm:IdleSeconds must be between 1 and 31536000, got {options.IdleSeconds}");
        }

        if (!(options.TargetRetentionHours is > 0 and <= 87_600))
        {
            failures.Add($"Vm:TargetRetentionHours must be above 0 and at most 87600, got {options.TargetRetentionHours}");
        }

        foreach (var (oui, family) in options.Ouis)
        {
            if (string.IsNullOrWhiteSpace(family))
            {
                failures.Add($"Vm:Ouis:{oui} must name a hypervisor family");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
