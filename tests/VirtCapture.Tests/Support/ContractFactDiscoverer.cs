using Xunit.Abstractions;
using Xunit.Sdk;

namespace VirtCapture.Tests.Support;

/// <summary>Finds <see cref="ContractFactAttribute"/> tests; the class they run for decides whether they need root.</summary>
public sealed class ContractFactDiscoverer : IXunitTestCaseDiscoverer
{
    private readonly IMessageSink _sink;

    public ContractFactDiscoverer(IMessageSink diagnosticMessageSink)
    {
        _sink = diagnosticMessageSink;
    }

    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        ArgumentNullException.ThrowIfNull(testMethod);
        var needsRoot = testMethod.TestClass.Class.GetCustomAttributes(typeof(NeedsRootAttribute)).Any();
        yield return new ContractTestCase(_sink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, needsRoot);
    }
}
