using Xunit;
using Matryoshka.Interop.MlMdm;

namespace Matryoshka.Tests.Interop.MlMdm;

/// <summary>Randomly damaged configs: every outcome is a config or a <see cref="ModelConfigurationException"/>, never another exception.</summary>
public class YamlFuzzTests
{
    private const string Significant = "[]{}:,-?&*!|>'\"#%@` \n\t0aA.~<";

    [Theory]
    [InlineData("cc12m_64x64", 1)]
    [InlineData("cc12m_256x256", 2)]
    [InlineData("cc12m_1024x1024", 3)]
    public void Damaged_released_configs_are_read_or_refused_with_a_configuration_error(string name, int seed)
    {
        var original = File.ReadAllText(Fixtures.MlMdm("released", name + ".yaml"));
        var random = new Random(seed);
        var unexpected = new List<string>();
        for (int i = 0; i < 1500; i++)
        {
            var text = Damage(original, random);
            try
            {
                MlMdmModelConfig.FromYaml(text, 2048).Plan();
            }
            catch (ModelConfigurationException)
            {
            }
            catch (Exception e)
            {
                unexpected.Add($"{e.GetType().Name}: {e.Message}\n---\n{text}");
            }
        }
        Assert.True(unexpected.Count == 0, $"{unexpected.Count} unexpected exceptions; first:\n{unexpected.FirstOrDefault()}");
    }

    private static string Damage(string text, Random random)
    {
        var chars = new List<char>(text);
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits && chars.Count > 0; e++)
        {
            int at = random.Next(chars.Count);
            switch (random.Next(4))
            {
                case 0: chars.RemoveAt(at); break;
                case 1: chars.Insert(at, Significant[random.Next(Significant.Length)]); break;
                case 2: chars[at] = Significant[random.Next(Significant.Length)]; break;
                default:
                    int length = Math.Min(random.Next(1, 40), chars.Count - at);
                    chars.InsertRange(random.Next(chars.Count), chars.GetRange(at, length));
                    break;
            }
        }
        return new string(chars.ToArray());
    }
}
