namespace VirtCapture.Tests.Support;

/// <summary>
/// Marks a test class whose every test needs root (a contract suite over real interfaces): its
/// <see cref="ContractFactAttribute"/> tests are skipped, with the reason, when not root.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class NeedsRootAttribute : Attribute
{
}
