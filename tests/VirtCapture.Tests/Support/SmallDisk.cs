namespace VirtCapture.Tests.Support;

/// <summary>A real, small file system (tmpfs of a few MiB) mounted for one test, optionally read-only: a full disk
/// and a read-only disk without touching the machine's own. Needs root.</summary>
public sealed class SmallDisk : IDisposable
{
    public SmallDisk(int megabytes, bool readOnly = false)
    {
        Path = Directory.CreateTempSubdirectory("vc-disk-").FullName;
        var options = $"size={megabytes}m,mode=0755{(readOnly ? ",ro" : string.Empty)}";
        var mount = Run.Program("mount", "-t", "tmpfs", "-o", options, "vcdisk", Path);
        Assert.True(mount.ExitCode == 0, $"mount tmpfs: {mount.StdErr}");
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        Run.Program("umount", "-l", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
