using System.Runtime.InteropServices;

namespace VirtCapture.Hal.Interop;

/// <summary>One classic BPF instruction (struct bpf_insn / sock_filter), as libpcap compiles it.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct BpfInstruction
{
    /// <summary>Operation code.</summary>
    public ushort Code;

    /// <summary>Jump offset if true.</summary>
    public byte JumpTrue;

    /// <summary>Jump offset if false.</summary>
    public byte JumpFalse;

    /// <summary>Constant operand.</summary>
    public uint K;
}
