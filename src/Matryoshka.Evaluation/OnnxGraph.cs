using Microsoft.ML.OnnxRuntime;

namespace Matryoshka.Evaluation;

/// <summary>One single-input, single-output float graph of a fixed input shape, checked when it is opened.</summary>
internal sealed class OnnxGraph : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames, _outputNames;
    private readonly long[] _inputShape;

    public OnnxGraph(string path, string input, long[] inputShape, string output, long outputLength, int? intraOpThreads)
    {
        if (!File.Exists(path))
            throw new EvaluationModelException(path, "the ONNX model does not exist. A build of a project that references Matryoshka.Evaluation puts it in models/resnet18/ of the output folder; otherwise set ModelFolder.");
        using var options = new SessionOptions();
        if (intraOpThreads is int threads) options.IntraOpNumThreads = threads;
        try
        {
            _session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new EvaluationModelException(path, $"ONNX Runtime cannot load it: {e.Message}", e);
        }
        if (!_session.InputMetadata.TryGetValue(input, out var inMeta) || !inMeta.Dimensions.Select(d => (long)d).SequenceEqual(inputShape)
            || !_session.OutputMetadata.TryGetValue(output, out var outMeta) || outMeta.Dimensions.Aggregate(1L, (a, d) => a * d) != outputLength)
        {
            _session.Dispose();
            throw new EvaluationModelException(path, $"expected input {input} [{string.Join(", ", inputShape)}] and output {output} of {outputLength} values; "
                + $"the graph has inputs {string.Join(", ", _session.InputNames)} and outputs {string.Join(", ", _session.OutputNames)}.");
        }
        (_inputNames, _outputNames, _inputShape) = ([input], [output], inputShape);
    }

    /// <summary>Runs the graph on <paramref name="input"/> (the input shape's length) and returns its output values.</summary>
    public float[] Run(float[] input)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(input, _inputShape);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, _inputNames, [value], _outputNames);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public void Dispose() => _session.Dispose();
}
