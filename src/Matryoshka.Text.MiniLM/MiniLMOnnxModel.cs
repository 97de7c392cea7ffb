using Microsoft.ML.OnnxRuntime;

namespace Matryoshka.Text.MiniLM;

/// <summary>
/// The all-MiniLM-L6-v2 ONNX graph: int64 input_ids, attention_mask and token_type_ids [B, T] in, float32
/// last_hidden_state [B, T, 384] out (the graph's other output, BERT's tanh pooler, is never computed: only the
/// requested output's subgraph runs). One InferenceSession, whose Run is safe to call from several threads at once.
/// </summary>
internal sealed class MiniLMOnnxModel : IDisposable
{
    public const int HiddenSize = 384;
    private const string InputIds = "input_ids", AttentionMask = "attention_mask", TokenTypeIds = "token_type_ids", Output = "last_hidden_state";

    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames = { Output };

    public MiniLMOnnxModel(string path, int? intraOpThreads)
    {
        if (!File.Exists(path))
            throw new MiniLMModelFileException(path, $"the ONNX model does not exist. A build of a project that references Matryoshka.Text.MiniLM puts it in {MiniLMModelFiles.RelativeDirectory}/ of the output folder; otherwise set ModelPath.");
        using var options = new SessionOptions();
        if (intraOpThreads is int threads) options.IntraOpNumThreads = threads;
        try
        {
            _session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new MiniLMModelFileException(path, $"ONNX Runtime cannot load it: {e.Message}", e);
        }
        try
        {
            _inputNames = CheckedInputs(path);
            CheckOutput(path);
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <summary>Runs one padded batch; returns, per sequence, its real tokens' hidden states (length × 384, row-major).</summary>
    public float[][] Run(IReadOnlyList<int[]> sequences, int paddingId)
    {
        int batch = sequences.Count;
        int length = sequences.Max(s => s.Length);
        var ids = new long[batch * length];
        var mask = new long[batch * length];
        var types = new long[batch * length];
        for (int b = 0; b < batch; b++)
        {
            var sequence = sequences[b];
            for (int t = 0; t < length; t++)
            {
                bool real = t < sequence.Length;
                ids[b * length + t] = real ? sequence[t] : paddingId;
                mask[b * length + t] = real ? 1 : 0;
            }
        }
        long[] shape = { batch, length };
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(types, shape);
        var inputs = _inputNames.Select(name => name switch
        {
            InputIds => idsValue,
            AttentionMask => maskValue,
            _ => typesValue,
        }).ToArray();
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, _inputNames, inputs, _outputNames);
        var hidden = outputs[0];
        var outShape = hidden.GetTensorTypeAndShape().Shape;
        if (outShape.Length != 3 || outShape[0] != batch || outShape[1] != length || outShape[2] != HiddenSize)
            throw new InvalidOperationException($"The model returned {Output} [{string.Join(", ", outShape)}]; expected [{batch}, {length}, {HiddenSize}].");
        var values = hidden.GetTensorDataAsSpan<float>();
        var result = new float[batch][];
        for (int b = 0; b < batch; b++)
            result[b] = values.Slice(b * length * HiddenSize, sequences[b].Length * HiddenSize).ToArray();
        return result;
    }

    public void Dispose() => _session.Dispose();

    private string[] CheckedInputs(string path)
    {
        var inputs = _session.InputMetadata;
        foreach (var (name, meta) in inputs)
        {
            if (name is not (InputIds or AttentionMask or TokenTypeIds))
                throw new MiniLMModelFileException(path, $"the model has an input '{name}'; expected only {InputIds}, {AttentionMask} and {TokenTypeIds}.");
            if (meta.ElementType != typeof(long) || meta.Dimensions.Length != 2)
                throw new MiniLMModelFileException(path, $"input '{name}' is {meta.ElementType.Name} with {meta.Dimensions.Length} dimensions; expected int64 [batch, sequence].");
        }
        if (!inputs.ContainsKey(InputIds) || !inputs.ContainsKey(AttentionMask))
            throw new MiniLMModelFileException(path, $"the model lacks {InputIds} or {AttentionMask}; it is not a BERT encoder export.");
        return inputs.Keys.ToArray();
    }

    private void CheckOutput(string path)
    {
        if (!_session.OutputMetadata.TryGetValue(Output, out var meta))
            throw new MiniLMModelFileException(path, $"the model has no output '{Output}' (it has {string.Join(", ", _session.OutputMetadata.Keys)}).");
        if (meta.ElementType != typeof(float) || meta.Dimensions.Length != 3 || meta.Dimensions[2] != HiddenSize)
            throw new MiniLMModelFileException(path, $"output '{Output}' is {meta.ElementType.Name} [{string.Join(", ", meta.Dimensions)}]; expected float32 [batch, sequence, {HiddenSize}] (all-MiniLM-L6-v2).");
    }
}
