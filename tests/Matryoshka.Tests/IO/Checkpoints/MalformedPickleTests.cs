using System.Text;
using Matryoshka.IO.Checkpoints;
using Xunit;

namespace Matryoshka.Tests.IO.Checkpoints;

public class MalformedPickleTests
{
    public static TheoryData<string, byte[], string> Cases => new()
    {
        { "unknown opcode", [0x80, 2, 0xff, (byte)'.'], "unknown opcode 0xff" },
        { "empty input", [], "input ended" },
        { "no STOP", [0x80, 2, (byte)'N'], "input ended" },
        { "protocol 6", [0x80, 6, (byte)'N', (byte)'.'], "pickle protocol 6 is not supported" },
        { "stack underflow", [(byte)'.'], "STOP: stack underflow" },
        { "pop below a mark", [(byte)'N', (byte)'(', 0x85, (byte)'.'], "TUPLE1: stack underflow" },
        { "tuple without mark", [(byte)'N', (byte)'t', (byte)'.'], "TUPLE: no MARK to pop to" },
        { "memo miss", [(byte)'h', 3, (byte)'.'], "memo entry 3 was never stored" },
        { "put on empty stack", [(byte)'q', 0, (byte)'.'], "BINPUT: stack underflow" },
        { "text memo index", Encoding.ASCII.GetBytes("Np-1\n."), "'-1' is not a memo index" },
        { "append to a dict", [(byte)'}', (byte)'N', (byte)'a', (byte)'.'], "appending to a dict, not a list" },
        { "setitem on a list", [(byte)']', (byte)'N', (byte)'N', (byte)'s', (byte)'.'], "setting items of a list, not a dict" },
        { "odd setitems", [(byte)'}', (byte)'(', (byte)'N', (byte)'u', (byte)'.'], "odd number of items" },
        { "list as dict key", [(byte)'}', (byte)']', (byte)'N', (byte)'s', (byte)'.'], "a dict key of type list is not supported" },
        { "nested tuple key", [(byte)'}', (byte)')', 0x85, (byte)'N', (byte)'s', (byte)'.'], "a dict key of type tuple is not supported" },
        { "build on a list", [(byte)']', (byte)'}', (byte)'b', (byte)'.'], "cannot set the state of a list" },
        { "reduce of a str", [(byte)'X', 1, 0, 0, 0, (byte)'f', (byte)')', (byte)'R', (byte)'.'], "REDUCE applied to a str" },
        { "reduce with a list", [(byte)'c', .. "collections\nOrderedDict\n"u8, (byte)']', (byte)'R', (byte)'.'], "arguments are a list, not a tuple" },
        { "newobj of a str", [(byte)'N', (byte)')', 0x81, (byte)'.'], "NEWOBJ applied to a None" },
        { "ext1", [0x82, 1, (byte)'.'], "extension registry codes" },
        { "next buffer", [0x97, (byte)'.'], "out-of-band buffers" },
        { "binunicode past the end", [(byte)'X', 0xff, 0xff, 0xff, 0x7f, (byte)'a'], "claims 2147483647 bytes but only 1 remain" },
        { "binunicode8 of 2^64-1", [0x8d, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], "claims 18446744073709551615 bytes" },
        { "binbytes8 past the end", [0x8e, 0, 0, 0, 0, 1, 0, 0, 0, (byte)'.'], "claims 4294967296 bytes but only 1 remain" },
        { "binstring negative", [(byte)'T', 0xff, 0xff, 0xff, 0xff, (byte)'.'], "negative length -1" },
        { "long4 negative", [0x8b, 0xff, 0xff, 0xff, 0xff, (byte)'.'], "negative length -1" },
        { "long4 huge", [0x8b, 0, 0, 0, 0x10, (byte)'.'], "larger than any checkpoint holds" },
        { "frame past the end", [0x95, 0, 0, 0, 0, 0, 0, 0, 0x01, (byte)'N', (byte)'.'], "FRAME claims 72057594037927936 bytes" },
        { "invalid utf-8", [(byte)'X', 2, 0, 0, 0, 0xc3, 0x28, (byte)'.'], "BINUNICODE is not valid UTF-8" },
        { "int text not a number", Encoding.ASCII.GetBytes("Ifive\n."), "INT: not an integer" },
        { "float text not a number", Encoding.ASCII.GetBytes("F1.2.3\n."), "FLOAT: not a float" },
        { "string not quoted", Encoding.ASCII.GetBytes("Sabc\n."), "not a quoted string literal" },
        { "unicode bad escape", Encoding.ASCII.GetBytes("V\\u12\n."), "malformed \\u escape" },
        { "line without newline", Encoding.ASCII.GetBytes("I12"), "a line without its newline" },
        { "global line too long", [(byte)'c', .. Enumerable.Repeat((byte)'a', 2000), (byte)'\n'], "longer than 1024 bytes" },
        { "global name not printable", [(byte)'c', (byte)'o', (byte)'s', 0x01, (byte)'\n', (byte)'x', (byte)'\n'], "not printable ASCII" },
        { "stack global of ints", [(byte)'K', 1, (byte)'K', 2, 0x93, (byte)'.'], "module and name must be str" },
        { "persistent id of a str", [(byte)'X', 1, 0, 0, 0, (byte)'x', (byte)'Q', (byte)'.'], "persistent id is a str, not a torch storage reference" },
        { "text persistent id", Encoding.ASCII.GetBytes("P0\n."), "persistent id is a str" },
        { "obj without class", [(byte)'(', (byte)'o', (byte)'.'], "no class between MARK and OBJ" },
        { "additems to a list", [(byte)']', (byte)'(', 0x90, (byte)'.'], "ADDITEMS on a list, not a set" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Malformed_pickle_is_refused_with_a_message_naming_the_problem(string name, byte[] pickle, string fragment)
    {
        var error = Assert.Throws<CheckpointFormatException>(() => Unpickle.Value(pickle));

        Assert.True(error.Problem.Contains(fragment, StringComparison.Ordinal), $"{name}: '{error.Problem}' does not mention '{fragment}'");
        Assert.StartsWith(Unpickle.FilePath + ": pickle, byte ", error.Message);
    }

    [Fact]
    public void Too_many_open_marks_are_refused_as_excessive_nesting()
    {
        var pickle = Enumerable.Repeat((byte)'(', 100_000).Append((byte)'.').ToArray();

        var error = Assert.Throws<CheckpointFormatException>(() => Unpickle.Value(pickle));

        Assert.Contains("more than 200 MARKs open at once (nesting too deep)", error.Problem);
    }

    [Fact]
    public void Deeply_nested_lists_are_refused_when_turned_into_metadata()
    {
        // Each "] a" appends a new list into the previous one: 100,000 levels in 200 KB, no recursion
        // while reading, but the metadata tree would be 100,000 deep.
        const int outermost = 1_000_000;
        var builder = new PickleBuilder().Proto().EmptyList().Put(outermost);
        for (var i = 0; i < 100_000; i++)
        {
            builder.EmptyList().Put(i).Append().Get(i);
        }
        var pickle = builder.Get(outermost).Stop().ToArray();

        var error = Assert.Throws<CheckpointFormatException>(() => Unpickle.Value(pickle));

        Assert.Contains("nested more than 200 levels deep", error.Problem);
    }

    [Fact]
    public void A_list_that_contains_itself_is_refused_when_turned_into_metadata()
    {
        var pickle = new PickleBuilder().Proto().EmptyList().Put(0).Get(0).Append().Stop().ToArray();

        var error = Assert.Throws<CheckpointFormatException>(() => Unpickle.Value(pickle));

        Assert.Contains("contains itself", error.Problem);
    }

    [Fact]
    public void Exponentially_shared_lists_are_converted_once_and_summarised_briefly()
    {
        // Level i is [level i-1, level i-1]: 2^60 leaves if expanded, 60 lists if shared.
        var builder = new PickleBuilder().Proto().Global("ml_mdm.x", "Holder").EmptyTuple().NewObj().EmptyDict().Str("v").Int(1);
        for (var i = 0; i < 60; i++)
        {
            builder.Put(i).Get(i).Tuple2();
        }
        var pickle = builder.SetItem().Build().Stop().ToArray();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var holder = Assert.IsType<PickledObject>(Unpickle.Value(pickle));
        var text = holder.ToString();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.True(text.Length <= 4001, $"summary of {text.Length} characters");
        Assert.EndsWith("…", text);
    }

    [Fact]
    public void Repeated_BUILD_of_a_large_state_is_bounded_by_the_object_limit()
    {
        // A 1,000-entry dict merged into an object again and again would cost 1,000 steps per 4 bytes.
        var builder = new PickleBuilder().Proto().Global("ml_mdm.x", "Holder").EmptyTuple().NewObj().EmptyDict().Mark();
        for (var i = 0; i < 1000; i++)
        {
            builder.Str($"k{i}").Int(i);
        }
        builder.SetItems().Put(0).Raw((byte)'0');
        for (var i = 0; i < 100_000; i++)
        {
            builder.Get(0).Build();
        }
        var pickle = builder.Stop().ToArray();
        var options = new CheckpointReadOptions { MaxObjects = 1_000_000 };

        var error = Assert.Throws<CheckpointFormatException>(() => Unpickle.Raw(pickle, options));

        Assert.Contains("creates more than 1000000 objects", error.Problem);
    }

    [Fact]
    public void Reusing_one_long_key_for_many_insertions_is_bounded_by_the_object_limit()
    {
        // Each SETITEM hashes the 100,000-character key again: 200,000 of them would take minutes.
        var builder = new PickleBuilder().Proto().EmptyDict().Str(new string('k', 100_000)).Put(0).Raw((byte)'0');
        for (var i = 0; i < 200_000; i++)
        {
            builder.Get(0).None().SetItem();
        }
        var pickle = builder.Stop().ToArray();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = Assert.Throws<CheckpointFormatException>(() => Unpickle.Raw(pickle));

        Assert.Contains("creates more than 50000000 objects", error.Problem);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Rebuilding_a_dict_from_one_long_list_again_and_again_is_bounded_by_the_object_limit()
    {
        var builder = new PickleBuilder().Proto().EmptyList().Mark();
        for (var i = 0; i < 10_000; i++)
        {
            builder.Int(i).None().Tuple2();
        }
        builder.Appends().Tuple1().Put(0).Raw((byte)'0');
        for (var i = 0; i < 100_000; i++)
        {
            builder.Global("collections", "OrderedDict").Get(0).Reduce().Raw((byte)'0');
        }
        var pickle = builder.None().Stop().ToArray();

        var error = Assert.Throws<CheckpointFormatException>(() => Unpickle.Raw(pickle, new CheckpointReadOptions { MaxObjects = 5_000_000 }));

        Assert.Contains("creates more than 5000000 objects", error.Problem);
    }

    [Fact]
    public void Memo_and_stack_limits_are_enforced()
    {
        var manyPuts = new PickleBuilder().Proto().None();
        for (var i = 0; i < 20; i++)
        {
            manyPuts.Put(i);
        }
        var manyPushes = new PickleBuilder().Proto();
        for (var i = 0; i < 20; i++)
        {
            manyPushes.None();
        }

        var memo = Assert.Throws<CheckpointFormatException>(() => Unpickle.Raw(manyPuts.Stop().ToArray(), new CheckpointReadOptions { MaxMemoEntries = 10 }));
        var stack = Assert.Throws<CheckpointFormatException>(() => Unpickle.Raw(manyPushes.Stop().ToArray(), new CheckpointReadOptions { MaxStackSize = 10 }));

        Assert.Contains("the memo holds more than 10 entries", memo.Problem);
        Assert.Contains("the stack holds more than 10 values", stack.Problem);
    }

    [Fact]
    public void Huge_claimed_lengths_are_refused_without_allocating_for_them()
    {
        var pickle = new byte[] { 0x8e, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, (byte)'.' };
        Assert.Throws<CheckpointFormatException>(() => Unpickle.Raw(pickle)); // warm up

        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<CheckpointFormatException>(() => Unpickle.Raw(pickle));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_001)]
    public void Options_refuse_a_nesting_depth_out_of_range(int depth)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CheckpointReadOptions { MaxNestingDepth = depth });
    }
}
