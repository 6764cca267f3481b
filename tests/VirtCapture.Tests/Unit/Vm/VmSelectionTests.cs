using VirtCapture.Hal.Frames;
using VirtCapture.Vm;

namespace VirtCapture.Tests.Unit.Vm;

public sealed class VmSelectionTests
{
    [Fact]
    public void Macs_go_into_the_kernel_filter_and_a_VLAN_is_checked_after_it()
    {
        var selection = VmSelection.Parse(["00:50:56:9A:10:01", "00:15:5d:01:30:01@20"])!;
        Assert.True(selection.HasVlans);
        var kernel = selection.KernelFilter("udp");
        Assert.Contains("ether host 00:50:56:9a:10:01", kernel, StringComparison.Ordinal);
        Assert.Contains("ether host 00:15:5d:01:30:01", kernel, StringComparison.Ordinal);
        Assert.Contains("udp", kernel, StringComparison.Ordinal);

        byte[] frame = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x15, 0x5d, 0x01, 0x30, 0x01, 0x81, 0x00, 0x00, 0x14, 0x08, 0x00, .. new byte[46]];
        var record = new FrameRecord { CapturedLength = frame.Length, WireLength = frame.Length };
        Assert.True(selection.Accepts(record, frame));
        frame[15] = 0x15;
        Assert.False(selection.Accepts(record, frame), "VLAN 21 is not the selected VLAN 20");
    }

    [Theory]
    [InlineData("00:50:56:9a:10")]
    [InlineData("00:50:56:9a:10:01@0")]
    [InlineData("00:50:56:9a:10:01@4095")]
    [InlineData("00:50:56:9a:10:01@20@30")]
    [InlineData("zz")]
    public void Anything_but_MAC_or_MAC_at_VLAN_is_refused_naming_the_key(string vm)
    {
        var error = Assert.Throws<UserErrorException>(() => VmSelection.Parse([vm], "--vm"));
        Assert.StartsWith("--vm: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(vm, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_VMs_is_no_selection() => Assert.Null(VmSelection.Parse([]));
}
