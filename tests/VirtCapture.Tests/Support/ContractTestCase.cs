using Xunit.Abstractions;
using Xunit.Sdk;

namespace VirtCapture.Tests.Support;

/// <summary>A contract test for one implementation: skipped when that implementation needs root and we are not.</summary>
public sealed class ContractTestCase : XunitTestCase
{
    private bool _needsRoot;

    [Obsolete("For the test runner's deserialization only.")]
    public ContractTestCase()
    {
    }

    public ContractTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method, bool needsRoot)
        : base(sink, display, options, method)
    {
        _needsRoot = needsRoot;
    }

    public override void Serialize(IXunitSerializationInfo data)
    {
        ArgumentNullException.ThrowIfNull(data);
        base.Serialize(data);
        data.AddValue("NeedsRoot", _needsRoot);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _needsRoot = data.GetValue<bool>("NeedsRoot");
        base.Deserialize(data);
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) =>
        _needsRoot && !RootFactAttribute.IsRoot ? "needs root (real interfaces, veth pairs); CI runs as root" : base.GetSkipReason(factAttribute);
}
