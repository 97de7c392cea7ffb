namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// Limits applied while reading PyTorch checkpoints. Every limit is checked as the file is read, so a
/// hostile or corrupt file is refused before it can make the reader allocate or loop without bound.
/// The defaults are far above what real checkpoints (ml-mdm's included) need.
/// </summary>
public sealed record CheckpointReadOptions
{
    /// <summary>The options used when none are given.</summary>
    public static CheckpointReadOptions Default { get; } = new();

    /// <summary>
    /// The deepest nesting accepted: pickle marks open at once, and the depth of lists, dicts and objects
    /// in the metadata. Must be between 1 and 10,000.
    /// </summary>
    public int MaxNestingDepth
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 10_000);
            field = value;
        }
    } = 200;

    /// <summary>The most values the pickle machine's stack may hold at once. At least 1.</summary>
    public int MaxStackSize
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 4_000_000;

    /// <summary>The most entries the pickle memo may hold. At least 1.</summary>
    public int MaxMemoEntries
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 10_000_000;

    /// <summary>
    /// The most values one pickle may push, plus the entries it copies (by BUILD or by constructing a
    /// dict from a list): a bound on both memory and time. At least 1.
    /// </summary>
    public long MaxObjects
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 50_000_000;

    /// <summary>
    /// The largest pickle (<c>data.pkl</c> of a zip checkpoint) read into memory, in bytes. Must be
    /// between 1 and <see cref="Array.MaxLength"/>.
    /// </summary>
    public long MaxPickleBytes
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, Array.MaxLength);
            field = value;
        }
    } = 1L << 30;
}
