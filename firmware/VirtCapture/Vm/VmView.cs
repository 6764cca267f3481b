namespace VirtCapture.Vm;

/// <summary>One MAC on one port and VLAN, as the inventory shows it.</summary>
public sealed record VmView(
    string Mac,
    string Family,
    string Port,
    int Vlan,
    IReadOnlyList<string> Addresses,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    long FramesSent,
    long BytesSent,
    long FramesReceived,
    long BytesReceived,
    double FramesPerSecond,
    double BytesPerSecond,
    bool Gone);
