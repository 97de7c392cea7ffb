namespace Matryoshka.Tests;

/// <summary>Paths of the fixture files copied next to the test assembly.</summary>
public static class Fixtures
{
    public static string MlMdm(string caseName, string file) =>
        Path.Combine(AppContext.BaseDirectory, "fixtures", "mlmdm", caseName, file);

    public static string T5(string caseName, string file) =>
        Path.Combine(AppContext.BaseDirectory, "fixtures", "t5", caseName, file);

    /// <summary>ml-mdm's <c>t5.vocab</c> and the caption token ids mlx-data's tokenizer gives over it.</summary>
    public static string Tokenizer(string file) =>
        Path.Combine(AppContext.BaseDirectory, "fixtures", "tokenizer", file);
}
