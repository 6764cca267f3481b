using Xunit.Sdk;

namespace VirtCapture.Tests.Support;

/// <summary>
/// A fact of a contract suite, written once in the base class and run for every implementation; skipped, with the
/// reason, for an implementation marked <see cref="NeedsRootAttribute"/> when the tests are not run as root.
/// </summary>
[XunitTestCaseDiscoverer("VirtCapture.Tests.Support.ContractFactDiscoverer", "VirtCapture.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ContractFactAttribute : FactAttribute
{
}
