using System.Numerics;
using static Matryoshka.IO.Checkpoints.PickleOpcodes;

namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// A restricted pickle machine: it understands every opcode of protocols 0 to 5 that plain data needs,
/// resolves globals only against <see cref="PickleGlobals"/>, and never imports, looks up or runs
/// anything a pickle names. Its work is linear in the input and bounded by
/// <see cref="CheckpointReadOptions"/>; every problem is a <see cref="CheckpointFormatException"/>.
/// </summary>
/// <remarks>
/// Hand-written on purpose: a general unpickler (Razorvine.Pickle, the one on NuGet) has no allow-list of globals and
/// no work limits, and a checkpoint is untrusted input.
/// </remarks>
internal sealed class PickleReader
{
    private const int HighestProtocol = 5;

    /// <summary>Longest module or class name line accepted by GLOBAL and INST.</summary>
    private const int MaxNameLength = 1024;

    private readonly PickleInput _input;
    private readonly CheckpointReadOptions _options;
    private readonly Func<object?, PickleFailure, object?>? _persistentLoad;
    private readonly PickleStack _stack;
    private readonly Dictionary<long, object?> _memo = [];
    private long _opcodeAt;
    private string _opcodeName = "";

    private PickleReader(PickleInput input, CheckpointReadOptions options, Func<object?, PickleFailure, object?>? persistentLoad)
    {
        _input = input;
        _options = options;
        _persistentLoad = persistentLoad;
        _stack = new PickleStack(options, Fail);
    }

    /// <summary>
    /// Reads one pickle up to and including its STOP opcode and returns its value; the stream is left
    /// just after STOP.
    /// </summary>
    /// <param name="input">The pickle, positioned at its first opcode.</param>
    /// <param name="options">The limits to enforce.</param>
    /// <param name="persistentLoad">
    /// Interprets persistent ids (torch's storage references); null when the pickle may contain none.
    /// </param>
    public static object? Read(PickleInput input, CheckpointReadOptions options, Func<object?, PickleFailure, object?>? persistentLoad) =>
        new PickleReader(input, options, persistentLoad).Run();

    private PickleFailure Here => new(_input, _opcodeAt);

    private object? Run()
    {
        while (true)
        {
            _opcodeAt = _input.Offset;
            var opcode = _input.ReadByte();
            if (opcode == Stop)
            {
                _opcodeName = "STOP";
                return _stack.Pop();
            }
            Execute(opcode);
        }
    }

    private void Execute(byte opcode)
    {
        switch (opcode)
        {
            // Structure.
            case Proto:
                Named("PROTO");
                var protocol = _input.ReadByte();
                if (protocol > HighestProtocol)
                {
                    throw Fail($"pickle protocol {protocol} is not supported (highest is {HighestProtocol})");
                }
                break;
            case Frame:
                // Frames only group opcodes for buffered reading; the length must still be plausible.
                Named("FRAME");
                _input.CheckLength(_input.ReadUInt64(), "FRAME");
                break;
            case Mark:
                Named("MARK");
                _stack.PushMark();
                break;
            case PickleOpcodes.Pop:
                Named("POP");
                _stack.Discard();
                break;
            case PopMark:
                Named("POP_MARK");
                _stack.PopToMark();
                break;
            case Dup:
                Named("DUP");
                _stack.Push(_stack.Peek());
                break;

            // Scalars.
            case PickleOpcodes.None:
                Named("NONE");
                _stack.Push(null);
                break;
            case NewTrue:
                Named("NEWTRUE");
                _stack.Push(true);
                break;
            case NewFalse:
                Named("NEWFALSE");
                _stack.Push(false);
                break;
            case BinInt:
                Named("BININT");
                _stack.Push((long)_input.ReadInt32());
                break;
            case BinInt1:
                Named("BININT1");
                _stack.Push((long)_input.ReadByte());
                break;
            case BinInt2:
                Named("BININT2");
                _stack.Push((long)_input.ReadUInt16());
                break;
            case Long1:
                Named("LONG1");
                _stack.Push(ReadLittleEndianInteger(_input.ReadByte()));
                break;
            case Long4:
                Named("LONG4");
                var length = _input.ReadInt32();
                if (length < 0)
                {
                    throw Fail($"negative length {length}");
                }
                _stack.Push(ReadLittleEndianInteger(length));
                break;
            case Int:
                Named("INT");
                _stack.Push(PickleText.ParseInt(ReadNumberLine()) ?? throw Fail("not an integer"));
                break;
            case PickleOpcodes.Long:
                Named("LONG");
                _stack.Push(PickleText.ParseLong(ReadNumberLine()) ?? throw Fail("not an integer"));
                break;
            case PickleOpcodes.Float:
                Named("FLOAT");
                _stack.Push(PickleText.ParseFloat(ReadNumberLine()) ?? throw Fail("not a float"));
                break;
            case BinFloat:
                Named("BINFLOAT");
                _stack.Push(_input.ReadBigEndianDouble());
                break;

            // Text and bytes. Python 2 byte strings are decoded as UTF-8, as torch.load does.
            case PickleOpcodes.String:
                Named("STRING");
                var quoted = PickleText.ParseQuotedBytes(_input.ReadLine("STRING", int.MaxValue)) ?? throw Fail("not a quoted string literal");
                _stack.Push(_input.DecodeUtf8(quoted, "STRING", _opcodeAt));
                break;
            case BinString:
                Named("BINSTRING");
                var stringLength = _input.ReadInt32();
                if (stringLength < 0)
                {
                    throw Fail($"negative length {stringLength}");
                }
                _stack.Push(_input.ReadUtf8((ulong)stringLength, "BINSTRING"));
                break;
            case ShortBinString:
                Named("SHORT_BINSTRING");
                _stack.Push(_input.ReadUtf8(_input.ReadByte(), "SHORT_BINSTRING"));
                break;
            case Unicode:
                Named("UNICODE");
                _stack.Push(PickleText.ParseRawUnicodeEscape(_input.ReadLine("UNICODE", int.MaxValue)) ?? throw Fail("malformed \\u escape"));
                break;
            case ShortBinUnicode:
                Named("SHORT_BINUNICODE");
                _stack.Push(_input.ReadUtf8(_input.ReadByte(), "SHORT_BINUNICODE"));
                break;
            case BinUnicode:
                Named("BINUNICODE");
                _stack.Push(_input.ReadUtf8(_input.ReadUInt32(), "BINUNICODE"));
                break;
            case BinUnicode8:
                Named("BINUNICODE8");
                _stack.Push(_input.ReadUtf8(_input.ReadUInt64(), "BINUNICODE8"));
                break;
            case ShortBinBytes:
                Named("SHORT_BINBYTES");
                _stack.Push(_input.ReadBytes(_input.ReadByte(), "SHORT_BINBYTES"));
                break;
            case BinBytes:
                Named("BINBYTES");
                _stack.Push(_input.ReadBytes(_input.ReadUInt32(), "BINBYTES"));
                break;
            case BinBytes8:
                Named("BINBYTES8");
                _stack.Push(_input.ReadBytes(_input.ReadUInt64(), "BINBYTES8"));
                break;
            case ByteArray8:
                Named("BYTEARRAY8");
                _stack.Push(_input.ReadBytes(_input.ReadUInt64(), "BYTEARRAY8"));
                break;

            // Containers.
            case EmptyTuple:
                Named("EMPTY_TUPLE");
                _stack.Push(PickleTuple.Empty);
                break;
            case Tuple1:
            case Tuple2:
            case Tuple3:
                Named(opcode == Tuple1 ? "TUPLE1" : opcode == Tuple2 ? "TUPLE2" : "TUPLE3");
                var items = new object?[opcode - Tuple1 + 1];
                for (var i = items.Length - 1; i >= 0; i--)
                {
                    items[i] = _stack.Pop();
                }
                _stack.Push(new PickleTuple(items));
                break;
            case PickleOpcodes.Tuple:
                Named("TUPLE");
                _stack.Push(new PickleTuple(_stack.PopToMark()));
                break;
            case EmptyList:
                Named("EMPTY_LIST");
                _stack.Push(new List<object?>());
                break;
            case PickleOpcodes.List:
                Named("LIST");
                _stack.Push(new List<object?>(_stack.PopToMark()));
                break;
            case Append:
                Named("APPEND");
                var appended = _stack.Pop();
                PeekList().Add(appended);
                break;
            case Appends:
                Named("APPENDS");
                var appendedItems = _stack.PopToMark();
                PeekList().AddRange(appendedItems);
                break;
            case EmptyDict:
                Named("EMPTY_DICT");
                _stack.Push(new PickleDict());
                break;
            case PickleOpcodes.Dict:
                Named("DICT");
                var dict = new PickleDict();
                SetItems(dict, _stack.PopToMark());
                _stack.Push(dict);
                break;
            case SetItem:
                Named("SETITEM");
                var value = _stack.Pop();
                var key = _stack.Pop();
                SetItems(PeekDict(), [key, value]);
                break;
            case PickleOpcodes.SetItems:
                Named("SETITEMS");
                var pairs = _stack.PopToMark();
                SetItems(PeekDict(), pairs);
                break;
            case EmptySet:
                Named("EMPTY_SET");
                _stack.Push(new PickleSet());
                break;
            case FrozenSet:
                Named("FROZENSET");
                var frozen = new PickleSet();
                frozen.Items.AddRange(_stack.PopToMark());
                _stack.Push(frozen);
                break;
            case AddItems:
                Named("ADDITEMS");
                var added = _stack.PopToMark();
                if (_stack.Peek() is not PickleSet set)
                {
                    throw Fail($"ADDITEMS on a {PickleTypeNames.Of(_stack.Peek())}, not a set");
                }
                set.Items.AddRange(added);
                break;

            // Memo.
            case Put:
                Named("PUT");
                Memoize(ParseMemoIndex(_input.ReadAsciiLine("PUT", PickleText.MaxIntegerLength)));
                break;
            case BinPut:
                Named("BINPUT");
                Memoize(_input.ReadByte());
                break;
            case LongBinPut:
                Named("LONG_BINPUT");
                Memoize(_input.ReadUInt32());
                break;
            case PickleOpcodes.Memoize:
                Named("MEMOIZE");
                Memoize(_memo.Count);
                break;
            case Get:
                Named("GET");
                Recall(ParseMemoIndex(_input.ReadAsciiLine("GET", PickleText.MaxIntegerLength)));
                break;
            case BinGet:
                Named("BINGET");
                Recall(_input.ReadByte());
                break;
            case LongBinGet:
                Named("LONG_BINGET");
                Recall(_input.ReadUInt32());
                break;

            // Globals and calls: resolved against the allow-list, interpreted, never executed.
            case Global:
                Named("GLOBAL");
                _stack.Push(ReadGlobalLines());
                break;
            case StackGlobal:
                Named("STACK_GLOBAL");
                var globalName = _stack.Pop();
                var globalModule = _stack.Pop();
                if (globalModule is not string module || globalName is not string name)
                {
                    throw Fail($"module and name must be str, not {PickleTypeNames.Of(globalModule)} and {PickleTypeNames.Of(globalName)}");
                }
                _stack.Push(PickleGlobals.Resolve(module, name, Here));
                break;
            case Reduce:
                Named("REDUCE");
                var arguments = PopTuple("arguments");
                var callable = _stack.Pop();
                _stack.Push(PickleCalls.Call(callable, arguments, Here, _stack.Charge));
                break;
            case NewObj:
                Named("NEWOBJ");
                var newArguments = PopTuple("arguments");
                _stack.Push(PickleCalls.NewObject(_stack.Pop(), newArguments, keywords: null, Here));
                break;
            case NewObjEx:
                Named("NEWOBJ_EX");
                if (_stack.Pop() is not PickleDict keywords)
                {
                    throw Fail("keyword arguments are not a dict");
                }
                var positional = PopTuple("arguments");
                _stack.Push(PickleCalls.NewObject(_stack.Pop(), positional, keywords, Here));
                break;
            case Inst:
                Named("INST");
                var instClass = ReadGlobalLines();
                _stack.Push(PickleCalls.Call(instClass, new PickleTuple(_stack.PopToMark()), Here, _stack.Charge));
                break;
            case Obj:
                Named("OBJ");
                var objItems = _stack.PopToMark();
                if (objItems.Length == 0)
                {
                    throw Fail("no class between MARK and OBJ");
                }
                _stack.Push(PickleCalls.Call(objItems[0], new PickleTuple(objItems[1..]), Here, _stack.Charge));
                break;
            case PickleOpcodes.Build:
                Named("BUILD");
                var state = _stack.Pop();
                ApplyState(_stack.Peek(), state);
                break;
            case BinPersId:
                Named("BINPERSID");
                _stack.Push(LoadPersistent(_stack.Pop()));
                break;
            case PersId:
                Named("PERSID");
                _stack.Push(LoadPersistent(_input.ReadAsciiLine("PERSID", MaxNameLength)));
                break;

            case Ext1:
            case Ext2:
            case Ext4:
                throw Fail("extension registry codes (EXT1, EXT2, EXT4) are not supported");
            case NextBuffer:
            case ReadOnlyBuffer:
                throw Fail("out-of-band buffers (NEXT_BUFFER, READONLY_BUFFER) are not supported");
            default:
                throw _input.Error($"unknown opcode 0x{opcode:x2}", _opcodeAt);
        }
    }

    private void Named(string name) => _opcodeName = name;

    private CheckpointFormatException Fail(string problem) => _input.Error($"{_opcodeName}: {problem}", _opcodeAt);

    private PickleTuple PopTuple(string what) =>
        _stack.Pop() switch
        {
            PickleTuple tuple => tuple,
            var other => throw Fail($"{what} are a {PickleTypeNames.Of(other)}, not a tuple"),
        };

    private List<object?> PeekList() =>
        _stack.Peek() switch
        {
            List<object?> list => list,
            var other => throw Fail($"appending to a {PickleTypeNames.Of(other)}, not a list"),
        };

    private PickleDict PeekDict() =>
        _stack.Peek() switch
        {
            PickleDict dict => dict,
            var other => throw Fail($"setting items of a {PickleTypeNames.Of(other)}, not a dict"),
        };

    private void SetItems(PickleDict dict, object?[] keysAndValues)
    {
        if (keysAndValues.Length % 2 != 0)
        {
            throw Fail($"odd number of items ({keysAndValues.Length}) for key/value pairs");
        }
        for (var i = 0; i < keysAndValues.Length; i += 2)
        {
            _stack.Charge(PickleDict.KeyCost(keysAndValues[i]));
            var problem = dict.TrySet(keysAndValues[i], keysAndValues[i + 1]);
            if (problem is not null)
            {
                throw Fail(problem);
            }
        }
    }

    private void Memoize(long index)
    {
        if (!_memo.ContainsKey(index) && _memo.Count >= _options.MaxMemoEntries)
        {
            throw Fail($"the memo holds more than {_options.MaxMemoEntries} entries");
        }
        _memo[index] = _stack.Peek();
    }

    private void Recall(long index)
    {
        if (!_memo.TryGetValue(index, out var value))
        {
            throw Fail($"memo entry {index} was never stored");
        }
        _stack.Push(value);
    }

    private long ParseMemoIndex(string text) =>
        PickleText.ParseInt(text) is long index and >= 0 ? index : throw Fail($"'{text}' is not a memo index");

    private string ReadNumberLine() =>
        _input.ReadAsciiLine(_opcodeName, PickleText.MaxIntegerLength + 2);

    private object ReadLittleEndianInteger(int length)
    {
        if (length > PickleText.MaxIntegerLength)
        {
            throw Fail($"an integer of {length} bytes is larger than any checkpoint holds");
        }
        var bytes = _input.ReadBytes((ulong)length, _opcodeName);
        return PickleText.Integer(new BigInteger(bytes, isUnsigned: false, isBigEndian: false));
    }

    private PickleGlobal ReadGlobalLines()
    {
        var module = _input.ReadAsciiLine($"{_opcodeName} module name", MaxNameLength);
        var name = _input.ReadAsciiLine($"{_opcodeName} name", MaxNameLength);
        return PickleGlobals.Resolve(module, name, Here);
    }

    private object? LoadPersistent(object? id)
    {
        if (_persistentLoad is null)
        {
            throw Fail("this pickle may not reference external data (persistent ids)");
        }
        return _persistentLoad(id, Here);
    }

    /// <summary>
    /// BUILD without <c>__setstate__</c>: inert objects take dict states as fields (and keep any other
    /// state as is); dicts carry only Python attributes (such as a state_dict's <c>_metadata</c>), which
    /// are not needed and dropped.
    /// </summary>
    private void ApplyState(object? target, object? state)
    {
        switch (target)
        {
            case InertObject inert:
                if (state is PickleTuple { Count: 2 } slots
                    && slots[0] is null or PickleDict && slots[1] is null or PickleDict)
                {
                    MergeFields(inert, slots[0] as PickleDict);
                    MergeFields(inert, slots[1] as PickleDict);
                }
                else if (state is PickleDict fields)
                {
                    MergeFields(inert, fields);
                }
                else if (state is not null)
                {
                    inert.OtherState = state;
                }
                break;
            case PickleDict:
                break;
            default:
                throw Fail($"cannot set the state of a {PickleTypeNames.Of(target)}");
        }
    }

    private void MergeFields(InertObject target, PickleDict? fields)
    {
        if (fields is null)
        {
            return;
        }
        foreach (var (key, value) in fields.Entries)
        {
            _stack.Charge(PickleDict.KeyCost(key));
            target.Fields.TrySet(key, value);
        }
    }
}
