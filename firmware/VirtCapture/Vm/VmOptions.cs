namespace VirtCapture.Vm;

/// <summary>The <c>Vm</c> section.</summary>
public sealed class VmOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Vm";

    /// <summary>A VM not seen for this long is reported gone.</summary>
    public int IdleSeconds { get; set; } = 300;

    /// <summary>Extra MAC prefixes and their family ("02:42:ac" = "Docker").</summary>
    public Dictionary<string, string> Ouis { get; set; } = [];

    /// <summary>The retention the capacity advice aims for, in hours.</summary>
    public double TargetRetentionHours { get; set; } = 24;
}
