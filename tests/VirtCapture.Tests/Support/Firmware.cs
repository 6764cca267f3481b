using System.Diagnostics;

namespace VirtCapture.Tests.Support;

/// <summary>The real firmware executable, run as a separate process the way a field engineer runs it.</summary>
public static class Firmware
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "virtcapture.dll");

    public static ProcessResult Run(params string[] args) => Support.Run.Program("dotnet", ["exec", Dll, .. args], TimeSpan.FromMinutes(3));

    public static ProcessResult Run(IDictionary<string, string> environment, params string[] args) =>
        Support.Run.Program("dotnet", ["exec", Dll, .. args], TimeSpan.FromMinutes(3), environment);

    public static Process Start(IDictionary<string, string>? environment, params string[] args) =>
        Support.Run.Start("dotnet", ["exec", Dll, .. args], environment);
}
