using System.Globalization;
using VirtCapture.Storage;
using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Integration.Storage;

/// <summary>The disk-space seam against coreutils' own statvfs reading of the same directory.</summary>
public sealed class DiskSpaceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Free_and_total_bytes_are_what_stat_reports()
    {
        var (free, total) = new DiskSpace().Measure(_dir.Path);
        var fields = Run.Program("stat", "-f", "-c", "%a %b %S", _dir.Path).StdOut.Split(' ', StringSplitOptions.TrimEntries)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(fields[1] * fields[2], total);
        // Other processes write meanwhile: the free space agrees to within 1 %.
        Assert.InRange(free, fields[0] * fields[2] * 0.99, fields[0] * fields[2] * 1.01);
    }

    [Fact]
    public void A_missing_directory_is_an_IOException_naming_it()
    {
        var missing = Path.Combine(_dir.Path, "nowhere");
        var e = Assert.Throws<IOException>(() => new DiskSpace().Measure(missing));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.Contains("errno", e.Message, StringComparison.Ordinal);
    }
}
