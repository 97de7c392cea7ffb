using Matryoshka.Conditioning.T5;
using Matryoshka.IO;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Conditioning.T5;

/// <summary>The transformers-produced tiny gated T5 fixture (tests/Matryoshka.Tests/fixtures/t5/t5_tiny_gated).</summary>
internal static class T5Fixture
{
    public const string Case = "t5_tiny_gated";

    public static string ConfigPath => Fixtures.T5(Case, "config.json");

    public static string WeightsPath => Fixtures.T5(Case, "weights.safetensors");

    public static string Io(string name) => Fixtures.T5(Case, name + ".safetensors");

    public static T5EncoderConfig Config => T5EncoderConfig.FromFile(ConfigPath);

    /// <summary>The fixture's encoder with its weights, in eval mode.</summary>
    public static T5Encoder Encoder(ScalarType dtype = ScalarType.Float32)
    {
        var encoder = new T5Encoder(Config, CPU, dtype);
        encoder.LoadWeights(WeightsPath);
        encoder.eval();
        return encoder;
    }

    /// <summary>The recorded tensors of io.safetensors or io_long.safetensors (owned by the caller's dispose scope).</summary>
    public static Dictionary<string, Tensor> Load(string name) => SafetensorsReader.Load(Io(name));

    /// <summary>max |a − b| in float64.</summary>
    public static double MaxAbs(Tensor expected, Tensor actual)
    {
        using var scope = NewDisposeScope();
        return (actual.to(ScalarType.Float64) - expected.to(ScalarType.Float64)).abs().max().item<double>();
    }
}
