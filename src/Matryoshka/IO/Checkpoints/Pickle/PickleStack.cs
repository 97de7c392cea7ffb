namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// The pickle machine's value stack with its marks, enforcing the limits of
/// <see cref="CheckpointReadOptions"/>: stack size, open marks (nesting) and the object budget. Values
/// below the newest mark cannot be popped, as in CPython.
/// </summary>
internal sealed class PickleStack(CheckpointReadOptions options, Func<string, CheckpointFormatException> fail)
{
    private readonly List<object?> _values = [];
    private readonly List<int> _marks = [];
    private long _objects;

    private int Fence => _marks.Count > 0 ? _marks[^1] : 0;

    public void Push(object? value)
    {
        if (_values.Count >= options.MaxStackSize)
        {
            throw fail($"the stack holds more than {options.MaxStackSize} values");
        }
        Charge(1);
        _values.Add(value);
    }

    /// <summary>Counts work against <see cref="CheckpointReadOptions.MaxObjects"/>.</summary>
    public void Charge(long count)
    {
        _objects += count;
        if (_objects > options.MaxObjects)
        {
            throw fail($"the pickle creates more than {options.MaxObjects} objects");
        }
    }

    public object? Pop()
    {
        if (_values.Count <= Fence)
        {
            throw fail("stack underflow");
        }
        var value = _values[^1];
        _values.RemoveAt(_values.Count - 1);
        return value;
    }

    public object? Peek() =>
        _values.Count > Fence ? _values[^1] : throw fail("stack underflow");

    public void PushMark()
    {
        if (_marks.Count >= options.MaxNestingDepth)
        {
            throw fail($"more than {options.MaxNestingDepth} MARKs open at once (nesting too deep)");
        }
        _marks.Add(_values.Count);
    }

    /// <summary>Removes and returns the values above the newest mark, and that mark.</summary>
    public object?[] PopToMark()
    {
        if (_marks.Count == 0)
        {
            throw fail("no MARK to pop to");
        }
        var mark = _marks[^1];
        _marks.RemoveAt(_marks.Count - 1);
        var items = _values.GetRange(mark, _values.Count - mark).ToArray();
        _values.RemoveRange(mark, _values.Count - mark);
        return items;
    }

    /// <summary>POP: discards the top value, or the newest mark when no value lies above it (as CPython does).</summary>
    public void Discard()
    {
        if (_values.Count > Fence)
        {
            _values.RemoveAt(_values.Count - 1);
        }
        else if (_marks.Count > 0)
        {
            _marks.RemoveAt(_marks.Count - 1);
        }
        else
        {
            throw fail("stack underflow");
        }
    }
}
