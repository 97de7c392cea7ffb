using System.Numerics;
using System.Text;
using Matryoshka.IO.Checkpoints;
using Xunit;

namespace Matryoshka.Tests.IO.Checkpoints;

public class PickleReaderTests
{
    [Fact]
    public void Binary_scalars_of_protocol_2()
    {
        var pickle = new PickleBuilder().Proto().Mark()
            .None().Bool(true).Bool(false).Int(7).Int(300).Int(-5).Int(1L << 40).Float(0.25).Str("héllo")
            .Raw((byte)'M', 0x34, 0x12) // BININT2 0x1234
            .Raw(0x8a, 0) // LONG1 of zero bytes is 0
            .Raw(0x8a, 2, 0x00, 0xff) // LONG1 -256
            .Raw((byte)'C', 2, 1, 2) // SHORT_BINBYTES
            .Raw((byte)'U', 2).Raw("ab"u8.ToArray()) // SHORT_BINSTRING
            .Tuple().Stop().ToArray();

        var items = Assert.IsAssignableFrom<IReadOnlyList<object?>>(Unpickle.Value(pickle));

        Assert.Equal<object?>([null, true, false, 7L, 300L, -5L, 1L << 40, 0.25, "héllo", 0x1234L, 0L, -256L, new byte[] { 1, 2 }, "ab"], items);
    }

    [Fact]
    public void Integers_beyond_64_bits_become_BigInteger()
    {
        var bytes = new byte[9];
        bytes[8] = 1; // 2^64
        var pickle = new PickleBuilder().Proto().Raw(0x8a, 9).Raw(bytes).Stop().ToArray();

        Assert.Equal(BigInteger.Pow(2, 64), Unpickle.Value(pickle));
    }

    [Fact]
    public void Text_opcodes_of_protocol_0()
    {
        var text = "(I00\nI01\nI42\nI-3\nL123456789012345678901234567890L\nF1.5\nFinf\nS'a\\'b\\x41\\n'\nVcaf\\u00e9 \\U0001F600\nN" +
                   "((dp0\nS'k'\np1\nI1\nsg1\nlp2\nt.";
        var pickle = Encoding.Latin1.GetBytes(text);

        var items = Assert.IsAssignableFrom<IReadOnlyList<object?>>(Unpickle.Value(pickle));

        Assert.Equal(11, items.Count);
        Assert.Equal<object?>([false, true, 42L, -3L, BigInteger.Parse("123456789012345678901234567890"), 1.5, double.PositiveInfinity, "a'bA\n", "café 😀", null], items.Take(10));
        var inner = Assert.IsAssignableFrom<IReadOnlyList<object?>>(items[10]);
        Assert.Equal(2, inner.Count);
        Assert.Equal(1L, Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(inner[0])["k"]);
        Assert.Equal("k", inner[1]);
    }

    [Fact]
    public void Containers_memo_and_stack_operations()
    {
        var pickle = new PickleBuilder().Proto(4)
            .Raw(0x95).Raw(new byte[8]) // FRAME of length 0: only a grouping hint
            .EmptyList().Memoize()
            .Mark().Int(1).Int(2).Appends()
            .Int(3).Append()
            .EmptyDict().Put(5).Str("a").Get(0).SetItem().Raw((byte)'0') // POP the dict
            .Mark().Int(9).Int(9).Raw((byte)'1') // POP_MARK discards 9, 9
            .Raw((byte)'2') // DUP the list
            .Tuple2()
            .Stop().ToArray();

        var pair = Assert.IsAssignableFrom<IReadOnlyList<object?>>(Unpickle.Value(pickle));

        Assert.Equal(2, pair.Count);
        var list = Assert.IsAssignableFrom<IReadOnlyList<object?>>(pair[0]);
        Assert.Equal<object?>([1L, 2L, 3L], list);
        Assert.Same(pair[0], pair[1]);
    }

    [Fact]
    public void Dict_keeps_insertion_order_and_replaces_values_in_place()
    {
        var pickle = new PickleBuilder().Proto().EmptyDict()
            .Mark().Str("b").Int(1).Str("a").Int(2).Str("b").Int(3).Int(4).Int(5).None().Int(6).SetItems()
            .Stop().ToArray();

        var dict = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(Unpickle.Value(pickle));

        Assert.Equal(["b", "a", "4", "None"], dict.Keys);
        Assert.Equal<object?>([3L, 2L, 5L, 6L], dict.Values);
    }

    [Fact]
    public void Sets_and_frozensets_become_lists()
    {
        var pickle = new PickleBuilder().Proto(4)
            .Raw(0x8f).Mark().Int(1).Int(2).Raw(0x90) // EMPTY_SET, ADDITEMS
            .Mark().Str("x").Raw(0x91) // FROZENSET
            .Tuple2().Stop().ToArray();

        var pair = Assert.IsAssignableFrom<IReadOnlyList<object?>>(Unpickle.Value(pickle));

        Assert.Equal<object?>([1L, 2L], Assert.IsAssignableFrom<IReadOnlyList<object?>>(pair[0]));
        Assert.Equal<object?>(["x"], Assert.IsAssignableFrom<IReadOnlyList<object?>>(pair[1]));
    }

    [Fact]
    public void Inert_objects_keep_arguments_keyword_arguments_and_slot_state()
    {
        var pickle = new PickleBuilder().Proto(4)
            .Global("ml_mdm.config", "Thing").Mark().Int(1).Tuple().EmptyDict().Str("k").Str("v").SetItem().Raw(0x92) // NEWOBJ_EX
            .Mark().None().EmptyDict().Str("slot").Int(2).SetItem().Tuple().Build() // (None, {slot: 2})
            .Stop().ToArray();

        var thing = Assert.IsType<PickledObject>(Unpickle.Value(pickle));

        Assert.Equal("ml_mdm.config.Thing", thing.TypeName);
        Assert.Equal<object?>([1L], thing.Arguments);
        Assert.Equal("v", thing.KeywordArguments["k"]);
        Assert.Equal(2L, thing["slot"]);
        Assert.Equal("Thing(1, k='v', slot=2)", thing.ToString());
    }

    [Fact]
    public void Ordered_dict_from_a_list_of_pairs()
    {
        var pickle = new PickleBuilder().Proto()
            .Global("collections", "OrderedDict")
            .EmptyList().Mark().Str("x").Int(1).Tuple2().Str("y").Int(2).Tuple2().Appends().Tuple1().Reduce()
            .Stop().ToArray();

        var dict = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(Unpickle.Value(pickle));

        Assert.Equal(["x", "y"], dict.Keys);
    }

    [Fact]
    public void Reading_stops_right_after_STOP()
    {
        var first = new PickleBuilder().Proto().Int(1).Stop().ToArray();
        var second = new PickleBuilder().Proto().Int(2).Stop().ToArray();
        using var stream = new MemoryStream([.. first, .. second]);

        var one = Matryoshka.IO.Checkpoints.PickleReader.Read(
            new Matryoshka.IO.Checkpoints.PickleInput(stream, "f", "p"), CheckpointReadOptions.Default, null);

        Assert.Equal(1L, one);
        Assert.Equal(first.Length, stream.Position);
    }
}
