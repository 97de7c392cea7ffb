using System.Text.Json;
using Matryoshka.IO;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Support;

/// <summary>One ml-mdm parity case (tests/fixtures/mlmdm/&lt;name&gt;), produced by running Apple's reference code.</summary>
public sealed class MlMdmFixture
{
    private MlMdmFixture(string name)
    {
        Name = name;
        Directory = Path.GetDirectoryName(Fixtures.MlMdm(name, "config.json"))!;
        Config = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "config.json"))).RootElement;
    }

    public static MlMdmFixture Open(string name) => new(name);

    public string Name { get; }

    public string Directory { get; }

    public JsonElement Config { get; }

    public JsonElement SamplerConfig => Config.GetProperty("diffusion_config").GetProperty("sampler_config");

    public int[] LevelResolutions => Config.GetProperty("level_resolutions").EnumerateArray().Select(e => e.GetInt32()).ToArray();

    public double ShiftPower => SamplerConfig.GetProperty("schedule_shifted_power").GetDouble();

    public int TrainSteps => SamplerConfig.GetProperty("num_diffusion_steps").GetInt32();

    public string? MultiResWeights => Config.GetProperty("diffusion_config").GetProperty("multi_res_weights").GetString();

    /// <summary>All tensors of one fixture file (CPU), owned by the caller's dispose scope.</summary>
    public Dictionary<string, Tensor> Load(string file) => SafetensorsReader.Load(Path.Combine(Directory, file));

    public override string ToString() => Name;
}
