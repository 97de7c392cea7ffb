using System.Diagnostics;
using Matryoshka.Conditioning.Tokenization;
using Matryoshka.ImageSharp;
using Matryoshka.IO;
using Matryoshka.Tests.Imaging;
using Xunit;

namespace Matryoshka.Tests.IO;

/// <summary>
/// Seeded byte changes and truncations of valid PNG, JPEG, safetensors and vocabulary files: every reader ends in
/// success or its own typed exception, quickly — never a framework exception, a crash or a hang. (The .pth and YAML
/// readers have their own fuzz tests: CheckpointFuzzTests, YamlFuzzTests.)
/// </summary>
public class ReaderFuzzTests
{
    private static readonly TimeSpan PerCaseLimit = TimeSpan.FromSeconds(5);

    private static void Fuzz<TRefusal>(byte[] valid, int cases, int seed, Action<byte[]> read) where TRefusal : Exception
    {
        var random = new Random(seed);
        var unexpected = new List<string>();
        for (int i = 0; i < cases; i++)
        {
            var damaged = ByteDamage.Apply(valid, random, out var description);
            var clock = Stopwatch.StartNew();
            var error = Record.Exception(() => read(damaged));
            if (error is not (null or TRefusal)) unexpected.Add($"case {i} ({description}): {error}");
            else if (clock.Elapsed > PerCaseLimit) unexpected.Add($"case {i} ({description}): took {clock.Elapsed}");
        }
        Assert.True(unexpected.Count == 0, $"{unexpected.Count} of {cases} cases failed; first: {unexpected.FirstOrDefault()}");
    }

    [Fact]
    public void Damaged_png_and_jpeg_decode_or_raise_ImageDecodeException()
    {
        var decoder = new SafeImageDecoder();
        using var image = TestImages.Random(24, 16, seed: 4);
        Fuzz<ImageDecodeException>(TestImages.Png(24, 16, seed: 4), 1200, 1, bytes => decoder.Load(new MemoryStream(bytes), "fuzz.png").Dispose());
        Fuzz<ImageDecodeException>(TestImages.Encode(image, new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder()), 600, 2,
            bytes => decoder.Load(new MemoryStream(bytes), "fuzz.jpg").Dispose());
    }

    [Fact]
    public void Damaged_safetensors_load_or_raise_SafetensorsFormatException()
    {
        var valid = File.ReadAllBytes(Fixtures.MlMdm("two_level", "forward.safetensors"));
        Fuzz<SafetensorsFormatException>(valid, 1000, 3, bytes => SafetensorsReader.ReadHeader(new MemoryStream(bytes)));
        using var folder = new TempFolder();
        Fuzz<SafetensorsFormatException>(valid, 300, 4, bytes =>
        {
            var path = folder.Write("fuzz.safetensors", bytes);
            foreach (var tensor in SafetensorsReader.Load(path).Values) tensor.Dispose();
        });
    }

    [Fact]
    public void Damaged_vocabularies_load_or_raise_VocabularyFormatException()
    {
        var valid = File.ReadAllBytes(Fixtures.Tokenizer("ties.vocab"));
        Fuzz<VocabularyFormatException>(valid, 1500, 5, bytes => T5Vocabulary.Load(new MemoryStream(bytes), "fuzz.vocab"));
    }
}
