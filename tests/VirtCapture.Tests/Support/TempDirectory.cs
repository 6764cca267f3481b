namespace VirtCapture.Tests.Support;

public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("vc-test-").FullName;
    }

    /// <summary>A directory of its own under <paramref name="parent"/> (another file system than the temp directory's).</summary>
    public TempDirectory(string parent)
    {
        Path = Directory.CreateDirectory(System.IO.Path.Combine(parent, $"vc-test-{Guid.NewGuid():N}")).FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
