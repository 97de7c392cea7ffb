using System.Buffers.Binary;
using System.Text;

namespace Matryoshka.Tests.IO.Checkpoints;

/// <summary>Writes pickle opcodes by hand, for checkpoints no real tool would produce.</summary>
public sealed class PickleBuilder
{
    private readonly List<byte> _bytes = [];

    public PickleBuilder Op(char opcode) => Raw((byte)opcode);

    public PickleBuilder Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public PickleBuilder Proto(byte version = 2) => Raw(0x80, version);

    public PickleBuilder Mark() => Op('(');

    public PickleBuilder Stop() => Op('.');

    public PickleBuilder EmptyDict() => Op('}');

    public PickleBuilder EmptyList() => Op(']');

    public PickleBuilder EmptyTuple() => Op(')');

    public PickleBuilder Tuple() => Op('t');

    public PickleBuilder Tuple1() => Raw(0x85);

    public PickleBuilder Tuple2() => Raw(0x86);

    public PickleBuilder Tuple3() => Raw(0x87);

    public PickleBuilder SetItem() => Op('s');

    public PickleBuilder SetItems() => Op('u');

    public PickleBuilder Append() => Op('a');

    public PickleBuilder Appends() => Op('e');

    public PickleBuilder Reduce() => Op('R');

    public PickleBuilder Build() => Op('b');

    public PickleBuilder NewObj() => Raw(0x81);

    public PickleBuilder BinPersId() => Op('Q');

    public PickleBuilder None() => Op('N');

    public PickleBuilder Bool(bool value) => Raw(value ? (byte)0x88 : (byte)0x89);

    public PickleBuilder Put(int index) => Raw((byte)'r').Raw(LittleEndian32(index));

    public PickleBuilder Get(int index) => Raw((byte)'j').Raw(LittleEndian32(index));

    public PickleBuilder Memoize() => Raw(0x94);

    public PickleBuilder Str(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        return Raw((byte)'X').Raw(LittleEndian32(utf8.Length)).Raw(utf8);
    }

    public PickleBuilder Int(long value)
    {
        if (value is >= 0 and < 256)
        {
            return Raw((byte)'K', (byte)value);
        }
        if (value is >= int.MinValue and <= int.MaxValue)
        {
            return Raw((byte)'J').Raw(LittleEndian32((int)value));
        }
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return Raw(0x8a, 8).Raw(bytes);
    }

    public PickleBuilder Float(double value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(bytes, value);
        return Raw((byte)'G').Raw(bytes);
    }

    /// <summary>GLOBAL with its two text lines.</summary>
    public PickleBuilder Global(string module, string name) =>
        Op('c').Raw(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));

    /// <summary>STACK_GLOBAL (protocol 4) from two strings.</summary>
    public PickleBuilder StackGlobal(string module, string name) => Str(module).Str(name).Raw(0x93);

    /// <summary>A tuple of ints (size or stride), as torch writes them.</summary>
    public PickleBuilder IntTuple(params long[] values)
    {
        Mark();
        foreach (var value in values)
        {
            Int(value);
        }
        return Tuple();
    }

    /// <summary>
    /// <c>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())</c> with the
    /// zip persistent id <c>('storage', torch.&lt;type&gt;, key, 'cpu', numel)</c>.
    /// </summary>
    public PickleBuilder Tensor(string key, long numel, long offset, long[] size, long[] stride, string storageType = "FloatStorage")
    {
        Global("torch._utils", "_rebuild_tensor_v2");
        Mark();
        Mark().Str("storage").Global("torch", storageType).Str(key).Str("cpu").Int(numel).Tuple().BinPersId();
        Int(offset).IntTuple(size).IntTuple(stride).Bool(false);
        Global("collections", "OrderedDict").EmptyTuple().Reduce();
        return Tuple().Reduce();
    }

    /// <summary>A contiguous tensor covering a whole storage.</summary>
    public PickleBuilder Tensor(string key, params long[] size)
    {
        var stride = new long[size.Length];
        long step = 1;
        for (var i = size.Length - 1; i >= 0; i--)
        {
            stride[i] = step;
            step *= size[i];
        }
        return Tensor(key, step, 0, size, stride);
    }

    public byte[] ToArray() => [.. _bytes];

    private static byte[] LittleEndian32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }
}
