using System.Diagnostics;

namespace VirtCapture.Tests.Support;

/// <summary>
/// The real firmware executable, run as a separate process the way a field engineer runs it: the build's
/// <c>virtcapture.dll</c> under <c>dotnet exec</c>, or the executable <c>VIRTCAPTURE_TEST_BIN</c> names (a published
/// build, the box's Native AOT one) so the whole suite can run against what ships. Every test starts it through here.
/// </summary>
public static class Firmware
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "virtcapture.dll");
    private static readonly string? Binary = Environment.GetEnvironmentVariable("VIRTCAPTURE_TEST_BIN") is { Length: > 0 } bin ? Path.GetFullPath(bin) : null;

    /// <summary>The program to start.</summary>
    public static string File => Binary ?? "dotnet";

    /// <summary>Its arguments before the firmware's own (<c>exec virtcapture.dll</c>, or none).</summary>
    public static string[] Exec => Binary is null ? ["exec", Dll] : [];

    public static ProcessResult Run(params string[] args) => Support.Run.Program(File, [.. Exec, .. args], TimeSpan.FromMinutes(3));

    public static ProcessResult Run(IDictionary<string, string> environment, params string[] args) =>
        Support.Run.Program(File, [.. Exec, .. args], TimeSpan.FromMinutes(3), environment);

    public static Process Start(IDictionary<string, string>? environment, params string[] args) =>
        Support.Run.Start(File, [.. Exec, .. args], environment);
}
