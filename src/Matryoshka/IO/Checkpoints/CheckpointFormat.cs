namespace Matryoshka.IO.Checkpoints;

/// <summary>The two layouts <c>torch.save</c> has written.</summary>
public enum CheckpointFormat
{
    /// <summary>The zip archive written since PyTorch 1.6: <c>&lt;name&gt;/data.pkl</c> plus one entry per storage.</summary>
    Zip,

    /// <summary>
    /// The older stream: a magic number, protocol version and system info pickles, the main pickle, the
    /// list of storage keys, then each storage's element count and bytes.
    /// </summary>
    Legacy,
}
