using System.Text.Json.Nodes;
using Matryoshka.Conditioning;
using Matryoshka.Tests.Support;

namespace Matryoshka.Tests.Pipelines;

/// <summary>
/// A model folder made from ml-mdm's two-level fixture (text width 48) with a matryoshka.json whose fields a test can
/// change; its text encoder is the test's <see cref="CharacterEncoder"/>, registered as kind <c>test-chars</c>.
/// </summary>
internal sealed class ManifestFolder : IDisposable
{
    public const string EncoderKind = "test-chars";
    private readonly TempFolder _folder = new();

    static ManifestFolder() => TextEncoders.Register(new CharacterEncoderFactory());

    public ManifestFolder(Action<JsonObject>? edit = null)
    {
        File.Copy(Fixtures.MlMdm("two_level", "config.json"), _folder.File("config.json"));
        File.Copy(Fixtures.MlMdm("two_level", "weights.safetensors"), _folder.File("weights.safetensors"));
        Manifest = new JsonObject
        {
            ["format_version"] = 1,
            ["name"] = "two-level",
            ["config"] = "config.json",
            ["weights"] = "weights.safetensors",
            ["text_encoder"] = new JsonObject { ["kind"] = EncoderKind, ["width"] = 48, ["max_tokens"] = 16 },
            ["pixels"] = "standard",
            ["sampler"] = "ddpm",
            ["steps"] = 3,
            ["guidance"] = 2.5,
            ["thresholding"] = "dynamic",
        };
        edit?.Invoke(Manifest);
        File.WriteAllText(ManifestPath, Manifest.ToJsonString());
    }

    public JsonObject Manifest { get; }

    public string Path => _folder.Path;

    public string ManifestPath => _folder.File("matryoshka.json");

    public void Dispose() => _folder.Dispose();

    private sealed class CharacterEncoderFactory : ITextEncoderFactory
    {
        public string Kind => EncoderKind;

        public ITextEncoder Create(TextEncoderSpec spec) => new CharacterEncoder { EmbeddingDim = 48 };
    }
}
