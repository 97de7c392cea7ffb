using System.Text.Json;

namespace Matryoshka.Tests.Data;

/// <summary>
/// An emoji-datasource tarball made from the checked-in mini set (samples/data/emoji-mini): its 16 real Noto PNGs,
/// and a catalog entry per row of its index.tsv (name, category, subcategory; no short names).
/// </summary>
public static class MiniSetTarball
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "samples", "emoji-mini");

    /// <summary>The mini set's rows: stem, name, category, subcategory, in index order.</summary>
    public static IReadOnlyList<(string Stem, string Name, string Category, string Subcategory)> Rows() =>
        File.ReadAllLines(Path.Combine(Folder, "index.tsv")).Skip(1)
            .Select(line => line.Split('\t'))
            .Select(f => (f[0][..^4], f[1], f[2], f[3]))
            .ToList();

    public static EmojiTarball Build()
    {
        var rows = Rows();
        var catalog = rows.Select(r => new Dictionary<string, object>
        {
            ["name"] = r.Name,
            ["unified"] = r.Stem.ToUpperInvariant(),
            ["image"] = r.Stem + ".png",
            ["short_names"] = Array.Empty<string>(),
            ["category"] = r.Category,
            ["subcategory"] = r.Subcategory,
            ["has_img_google"] = true,
        });
        var tarball = new EmojiTarball()
            .Text("package/package.json", """{ "name": "emoji-datasource-google", "version": "0.0.1-mini" }""")
            .Text("package/emoji.json", JsonSerializer.Serialize(catalog));
        foreach (var row in rows)
            tarball.Image(row.Stem + ".png", File.ReadAllBytes(Path.Combine(Folder, row.Stem + ".png")));
        return tarball;
    }
}
