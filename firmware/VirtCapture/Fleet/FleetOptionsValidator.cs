using Microsoft.Extensions.Options;

namespace VirtCapture.Fleet;

/// <summary>Checks the <c>Fleet</c> section at start; each failure names the key.</summary>
internal sealed class FleetOptionsValidator : IValidateOptions<FleetOptions>
{
    public ValidateOptionsResult Validate(string? name, FleetOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (FleetBroker.TryParse(options.Broker) is null)
        {
            failures.Add($"Fleet:Broker must be mqtt://HOST[:PORT] or mqtts://HOST[:PORT], got '{options.Broker}'");
        }

        if (!FleetTopics.IsLevel(options.Site))
        {
            failures.Add($"Fleet:Site must be one topic level (letters, digits, - _ .), got '{options.Site}'");
        }

        if (!FleetTopics.IsLevel(options.BoxName))
        {
            failures.Add($"Fleet:Box must be one topic level (letters, digits, - _ .), got '{options.BoxName}'");
        }

        if (options.KeepAliveSeconds is < 2 or > 600)
        {
            failures.Add($"Fleet:KeepAliveSeconds must be between 2 and 600, got {options.KeepAliveSeconds}");
        }

        if (options.StatusIntervalSeconds is < 1 or > 3600)
        {
            failures.Add($"Fleet:StatusIntervalSeconds must be between 1 and 3600, got {options.StatusIntervalSeconds}");
        }

        if (options.EventQueueLimit is < 10 or > 1_000_000)
        {
            failures.Add($"Fleet:EventQueueLimit must be between 10 and 1000000, got {options.EventQueueLimit}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
