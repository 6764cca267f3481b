using VirtCapture.Tests.Support;

namespace VirtCapture.Tests.Image;

/// <summary>Builds the firmware bundle (linux-x64) and the board's build (linux-arm64) once, with the real Makefile.</summary>
public sealed class ImageFixture
{
    private static readonly TimeSpan BuildLimit = TimeSpan.FromMinutes(15);

    public ImageFixture()
    {
        Repository = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
        // Two whole AOT builds: together 7 minutes on this 2-vCPU machine idle, and the arm64 one alone passed 8 minutes
        // under the rest of make test's load once; the limits only stop a hung build.
        var image = Run.Program("make", ["-C", Repository, "image", "RID=linux-x64", "BUILD=build/test-image"], BuildLimit);
        Assert.True(image.ExitCode == 0, $"make image failed: {image.StdOut}\n{image.StdErr}");
        var arm = Run.Program("make", ["-C", Repository, "publish", "RID=linux-arm64", "BUILD=build/test-image"], BuildLimit);
        Assert.True(arm.ExitCode == 0, $"make publish RID=linux-arm64 failed: {arm.StdOut}\n{arm.StdErr}");
        var version = File.ReadAllLines(Path.Combine(Repository, "Directory.Build.props")).Select(l => l.Trim()).First(l => l.StartsWith("<Version>", StringComparison.Ordinal))[9..^10];
        Bundle = Path.Combine(Repository, $"build/test-image/image/virtcapture-{version}-linux-x64");
        Tarball = Bundle + ".tar.gz";
        Arm64Binary = Path.Combine(Repository, "build/test-image/publish/linux-arm64/virtcapture");
    }

    public string Repository { get; }

    public string Bundle { get; }

    public string Tarball { get; }

    public string Arm64Binary { get; }
}
