using System.Buffers.Binary;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using VirtCapture.Hal.Interop;

namespace VirtCapture.Hal.Bpf;

/// <summary>
/// Compiles a classic BPF program into a .NET method, as the kernel's BPF JIT compiles socket filters into machine
/// code: each instruction becomes a few IL instructions, the runtime's JIT makes them native, and a frame is filtered
/// without a call into libpcap and without its interpreter's dispatch. The semantics are libpcap's
/// <c>bpf_filter</c>: a load beyond the captured bytes and a division by zero reject the frame. Programs using
/// anything else (the kernel's ancillary loads) are not compiled, and libpcap runs them.
/// </summary>
public static unsafe class BpfJit
{
    /// <summary>A compiled filter: the frame's bytes, its captured length and its wire length; non-zero keeps it.</summary>
    public delegate uint Filter(byte* packet, uint captured, uint wire);

    private const int ClassLd = 0x00, ClassLdx = 0x01, ClassSt = 0x02, ClassStx = 0x03, ClassAlu = 0x04, ClassJmp = 0x05, ClassRet = 0x06, ClassMisc = 0x07;
    private const int SizeW = 0x00, SizeH = 0x08, SizeB = 0x10;
    private const int ModeImm = 0x00, ModeAbs = 0x20, ModeInd = 0x40, ModeMem = 0x60, ModeLen = 0x80, ModeMsh = 0xa0;
    private const int SrcX = 0x08;

    private static readonly MethodInfo Swap32 = typeof(BinaryPrimitives).GetMethod(nameof(BinaryPrimitives.ReverseEndianness), [typeof(uint)])!;
    private static readonly MethodInfo Swap16 = typeof(BinaryPrimitives).GetMethod(nameof(BinaryPrimitives.ReverseEndianness), [typeof(ushort)])!;

    /// <summary>The compiled program, or null where this runtime cannot emit code or the program uses what we do not compile.</summary>
    public static Filter? TryCompile(ReadOnlySpan<BpfInstruction> program)
    {
        if (!RuntimeFeature.IsDynamicCodeSupported || program.IsEmpty || !IsCompilable(program))
        {
            return null;
        }

        var method = new DynamicMethod("bpf", typeof(uint), [typeof(byte*), typeof(uint), typeof(uint)], typeof(BpfJit).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        var a = il.DeclareLocal(typeof(uint));
        var x = il.DeclareLocal(typeof(uint));
        var memory = new LocalBuilder[16];
        for (var i = 0; i < memory.Length; i++)
        {
            memory[i] = il.DeclareLocal(typeof(uint));
        }

        var labels = new Label[program.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = il.DefineLabel();
        }

        var reject = il.DefineLabel();
        for (var pc = 0; pc < program.Length; pc++)
        {
            il.MarkLabel(labels[pc]);
            var insn = program[pc];
            var code = insn.Code;
            var k = insn.K;
            switch (code & 0x07)
            {
                case ClassLd:
                    EmitLoad(il, code, k, a, x, memory, reject);
                    break;
                case ClassLdx:
                    EmitLoad(il, code, k, x, x, memory, reject);
                    break;
                case ClassSt:
                    il.Emit(OpCodes.Ldloc, a);
                    il.Emit(OpCodes.Stloc, memory[k]);
                    break;
                case ClassStx:
                    il.Emit(OpCodes.Ldloc, x);
                    il.Emit(OpCodes.Stloc, memory[k]);
                    break;
                case ClassAlu:
                    EmitAlu(il, code, k, a, x, reject);
                    break;
                case ClassJmp:
                    EmitJump(il, code, k, a, x, labels, pc, insn);
                    break;
                case ClassRet:
                    switch (code & 0x18)
                    {
                        case 0x10:
                            il.Emit(OpCodes.Ldloc, a);
                            break;
                        case SrcX:
                            il.Emit(OpCodes.Ldloc, x);
                            break;
                        default:
                            il.Emit(OpCodes.Ldc_I4, unchecked((int)k));
                            break;
                    }

                    il.Emit(OpCodes.Ret);
                    break;
                case ClassMisc:
                    if ((code & 0xf8) == 0x00)
                    {
                        il.Emit(OpCodes.Ldloc, a);
                        il.Emit(OpCodes.Stloc, x);
                    }
                    else
                    {
                        il.Emit(OpCodes.Ldloc, x);
                        il.Emit(OpCodes.Stloc, a);
                    }

                    break;
            }
        }

        il.MarkLabel(reject);
        il.Emit(OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<Filter>();
    }

    // Only what libpcap's bpf_validate accepts and bpf_filter runs: forward jumps inside the program, memory slots
    // 0..15, loads below the kernel's ancillary range, a program that ends in RET.
    private static bool IsCompilable(ReadOnlySpan<BpfInstruction> program)
    {
        for (var pc = 0; pc < program.Length; pc++)
        {
            var insn = program[pc];
            var code = insn.Code;
            switch (code & 0x07)
            {
                case ClassLd or ClassLdx:
                    var mode = code & 0xe0;
                    var ld = (code & 0x07) == ClassLd;
                    if ((mode is ModeAbs or ModeInd or ModeMsh && insn.K >= 0xfffff000) || (mode == ModeMem && insn.K >= 16)
                        || (ld ? mode is not (ModeImm or ModeAbs or ModeInd or ModeMem or ModeLen) : mode is not (ModeImm or ModeMem or ModeLen or ModeMsh)))
                    {
                        return false;
                    }

                    break;
                case ClassSt or ClassStx when insn.K >= 16:
                    return false;
                case ClassAlu when (code & 0xf0) is 0x60 or 0x70 && (code & SrcX) == 0 && insn.K >= 32:
                    return false;
                case ClassAlu when (code & 0xf0) > 0xa0:
                    return false;
                case ClassJmp:
                    var op = code & 0xf0;
                    var far = op == 0x00 ? (long)pc + 1 + insn.K : pc + 1 + Math.Max(insn.JumpTrue, insn.JumpFalse);
                    if (op > 0x40 || far >= program.Length)
                    {
                        return false;
                    }

                    break;
                case ClassRet when (code & 0x18) == 0x18:
                    return false;
            }
        }

        return (program[^1].Code & 0x07) == ClassRet;
    }

    // LD into A and LDX into X share their modes; ABS and IND are LD's, MSH is LDX's (IsCompilable holds to that).
    private static void EmitLoad(ILGenerator il, int code, uint k, LocalBuilder target, LocalBuilder x, LocalBuilder[] memory, Label reject)
    {
        switch (code & 0xe0)
        {
            case ModeImm:
                il.Emit(OpCodes.Ldc_I4, unchecked((int)k));
                break;
            case ModeLen:
                il.Emit(OpCodes.Ldarg_2);
                break;
            case ModeMem:
                il.Emit(OpCodes.Ldloc, memory[k]);
                break;
            case ModeAbs or ModeInd:
                var size = (code & 0x18) switch { SizeW => 4, SizeH => 2, _ => 1 };
                // The offset as a 64-bit number, so X + k can never wrap past the check.
                il.Emit(OpCodes.Ldc_I8, (long)k);
                if ((code & 0xe0) == ModeInd)
                {
                    il.Emit(OpCodes.Ldloc, x);
                    il.Emit(OpCodes.Conv_U8);
                    il.Emit(OpCodes.Add);
                }

                var offset = il.DeclareLocal(typeof(ulong));
                il.Emit(OpCodes.Stloc, offset);
                il.Emit(OpCodes.Ldloc, offset);
                il.Emit(OpCodes.Ldc_I8, (long)size);
                il.Emit(OpCodes.Add);
                il.Emit(OpCodes.Ldarg_1);
                il.Emit(OpCodes.Conv_U8);
                il.Emit(OpCodes.Bgt_Un, reject);
                il.Emit(OpCodes.Ldarg_0);
                il.Emit(OpCodes.Ldloc, offset);
                il.Emit(OpCodes.Conv_U);
                il.Emit(OpCodes.Add);
                EmitRead(il, code & 0x18);
                break;
            case ModeMsh:
                // X = 4 * (P[k] & 0xf): the IPv4 header length.
                il.Emit(OpCodes.Ldc_I4, unchecked((int)k));
                il.Emit(OpCodes.Ldarg_1);
                il.Emit(OpCodes.Bge_Un, reject);
                il.Emit(OpCodes.Ldarg_0);
                il.Emit(OpCodes.Ldc_I4, unchecked((int)k));
                il.Emit(OpCodes.Conv_U);
                il.Emit(OpCodes.Add);
                il.Emit(OpCodes.Ldind_U1);
                il.Emit(OpCodes.Ldc_I4_S, (sbyte)0x0f);
                il.Emit(OpCodes.And);
                il.Emit(OpCodes.Ldc_I4_2);
                il.Emit(OpCodes.Shl);
                break;
        }

        il.Emit(OpCodes.Stloc, target);
    }

    private static void EmitRead(ILGenerator il, int size)
    {
        switch (size)
        {
            case SizeW:
                il.Emit(OpCodes.Unaligned, (byte)1);
                il.Emit(OpCodes.Ldind_U4);
                il.Emit(OpCodes.Call, Swap32);
                break;
            case SizeH:
                il.Emit(OpCodes.Unaligned, (byte)1);
                il.Emit(OpCodes.Ldind_U2);
                il.Emit(OpCodes.Call, Swap16);
                break;
            default:
                il.Emit(OpCodes.Ldind_U1);
                break;
        }
    }

    private static void EmitAlu(ILGenerator il, int code, uint k, LocalBuilder a, LocalBuilder x, Label reject)
    {
        var op = code & 0xf0;
        if (op == 0x80)
        {
            il.Emit(OpCodes.Ldloc, a);
            il.Emit(OpCodes.Neg);
            il.Emit(OpCodes.Stloc, a);
            return;
        }

        var byX = (code & SrcX) != 0;
        if (op is 0x30 or 0x90)
        {
            // Division by zero rejects the frame, as in bpf_filter.
            if (!byX && k == 0)
            {
                il.Emit(OpCodes.Br, reject);
                return;
            }

            if (byX)
            {
                il.Emit(OpCodes.Ldloc, x);
                il.Emit(OpCodes.Brfalse, reject);
            }
        }

        il.Emit(OpCodes.Ldloc, a);
        if (byX)
        {
            il.Emit(OpCodes.Ldloc, x);
        }
        else
        {
            il.Emit(OpCodes.Ldc_I4, unchecked((int)k));
        }

        il.Emit(op switch
        {
            0x00 => OpCodes.Add,
            0x10 => OpCodes.Sub,
            0x20 => OpCodes.Mul,
            0x30 => OpCodes.Div_Un,
            0x40 => OpCodes.Or,
            0x50 => OpCodes.And,
            0x60 => OpCodes.Shl,
            0x70 => OpCodes.Shr_Un,
            0x90 => OpCodes.Rem_Un,
            _ => OpCodes.Xor,
        });
        il.Emit(OpCodes.Stloc, a);
    }

    private static void EmitJump(ILGenerator il, int code, uint k, LocalBuilder a, LocalBuilder x, Label[] labels, int pc, BpfInstruction insn)
    {
        var op = code & 0xf0;
        if (op == 0x00)
        {
            il.Emit(OpCodes.Br, labels[pc + 1 + (int)k]);
            return;
        }

        il.Emit(OpCodes.Ldloc, a);
        if ((code & SrcX) != 0)
        {
            il.Emit(OpCodes.Ldloc, x);
        }
        else
        {
            il.Emit(OpCodes.Ldc_I4, unchecked((int)k));
        }

        var whenTrue = labels[pc + 1 + insn.JumpTrue];
        var whenFalse = labels[pc + 1 + insn.JumpFalse];
        switch (op)
        {
            case 0x10:
                il.Emit(OpCodes.Beq, whenTrue);
                break;
            case 0x20:
                il.Emit(OpCodes.Bgt_Un, whenTrue);
                break;
            case 0x30:
                il.Emit(OpCodes.Bge_Un, whenTrue);
                break;
            default:
                il.Emit(OpCodes.And);
                il.Emit(OpCodes.Brtrue, whenTrue);
                break;
        }

        il.Emit(OpCodes.Br, whenFalse);
    }
}
