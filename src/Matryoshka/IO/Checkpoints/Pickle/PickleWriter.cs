using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// Emits pickle protocol 2 opcodes, only those PyTorch's safe loader (<c>torch.load(weights_only=True)</c>) reads
/// from 1.13 on: no BINFLOAT (1.13's safe loader refuses it), no BUILD, no NEWOBJ. Repeated globals and strings are
/// memoised (BINPUT once, BINGET after) as CPython's pickler does, which keeps a large state_dict's pickle small.
/// </summary>
internal sealed class PickleWriter
{
    private const int ProtocolVersion = 2;

    private readonly Stream _output;
    private readonly Dictionary<string, int> _memo = new(StringComparer.Ordinal);

    public PickleWriter(Stream output)
    {
        _output = output;
        Op(PickleOpcodes.Proto);
        _output.WriteByte(ProtocolVersion);
    }

    public void Op(byte opcode) => _output.WriteByte(opcode);

    public void Mark() => Op(PickleOpcodes.Mark);

    public void EmptyDict() => Op(PickleOpcodes.EmptyDict);

    public void Reduce() => Op(PickleOpcodes.Reduce);

    public void SetItems() => Op(PickleOpcodes.SetItems);

    public void Stop() => Op(PickleOpcodes.Stop);

    public void Bool(bool value) => Op(value ? PickleOpcodes.NewTrue : PickleOpcodes.NewFalse);

    /// <summary>A <c>module.name</c> global, written once and fetched from the memo afterwards.</summary>
    public void Global(string module, string name) => Memoised("g:" + module + "." + name, () =>
    {
        Op(PickleOpcodes.Global);
        _output.Write(Encoding.ASCII.GetBytes(module + "\n" + name + "\n"));
    });

    /// <summary>A string; <paramref name="memoise"/> for one that recurs (e.g. <c>"storage"</c>, <c>"cpu"</c>).</summary>
    public void String(string value, bool memoise = false)
    {
        if (memoise)
        {
            Memoised("s:" + value, () => WriteString(value));
        }
        else
        {
            WriteString(value);
        }
    }

    /// <summary>An int with the shortest opcode CPython would choose.</summary>
    public void Int(long value)
    {
        Span<byte> bytes = stackalloc byte[9];
        switch (value)
        {
            case >= 0 and <= byte.MaxValue:
                Op(PickleOpcodes.BinInt1);
                _output.WriteByte((byte)value);
                break;
            case >= 0 and <= ushort.MaxValue:
                Op(PickleOpcodes.BinInt2);
                BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)value);
                _output.Write(bytes[..2]);
                break;
            case >= int.MinValue and <= int.MaxValue:
                Op(PickleOpcodes.BinInt);
                BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)value);
                _output.Write(bytes[..4]);
                break;
            default:
                // LONG1: length byte, then the shortest little-endian two's complement.
                var twosComplement = new BigInteger(value).ToByteArray();
                Op(PickleOpcodes.Long1);
                _output.WriteByte((byte)twosComplement.Length);
                _output.Write(twosComplement);
                break;
        }
    }

    /// <summary>A tuple of what the <paramref name="count"/> preceding writes pushed (after <see cref="Mark"/> when more than 3).</summary>
    public void Tuple(int count) => Op(count switch
    {
        0 => PickleOpcodes.EmptyTuple,
        1 => PickleOpcodes.Tuple1,
        2 => PickleOpcodes.Tuple2,
        3 => PickleOpcodes.Tuple3,
        _ => PickleOpcodes.Tuple,
    });

    /// <summary>A tuple of ints, e.g. a shape or strides.</summary>
    public void IntTuple(IReadOnlyList<long> values)
    {
        if (values.Count > 3) Mark();
        foreach (var value in values) Int(value);
        Tuple(values.Count);
    }

    private void WriteString(string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, utf8.Length);
        Op(PickleOpcodes.BinUnicode);
        _output.Write(length);
        _output.Write(utf8);
    }

    private void Memoised(string key, Action write)
    {
        if (_memo.TryGetValue(key, out var slot))
        {
            MemoOp(PickleOpcodes.BinGet, PickleOpcodes.LongBinGet, slot);
            return;
        }
        write();
        slot = _memo.Count;
        _memo[key] = slot;
        MemoOp(PickleOpcodes.BinPut, PickleOpcodes.LongBinPut, slot);
    }

    private void MemoOp(byte shortForm, byte longForm, int slot)
    {
        if (slot <= byte.MaxValue)
        {
            Op(shortForm);
            _output.WriteByte((byte)slot);
            return;
        }
        Span<byte> index = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(index, slot);
        Op(longForm);
        _output.Write(index);
    }
}
