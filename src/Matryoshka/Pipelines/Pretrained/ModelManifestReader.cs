using System.Text.Json;
using Matryoshka.Conditioning;
using Matryoshka.Sampling;

namespace Matryoshka.Pipelines.Pretrained;

/// <summary>
/// Reads and validates <c>matryoshka.json</c>. Hand-written over <see cref="JsonDocument"/> rather than a serializer
/// so that every problem names its field, unknown fields are refused (a typo must not pass silently), and the file
/// size is bounded before anything is parsed.
/// </summary>
internal static class ModelManifestReader
{
    private const long MaxBytes = 1 << 20;
    private const int FormatVersion = 1;
    private static readonly string[] TopFields =
        { "format_version", "name", "config", "weights", "text_encoder", "pixels", "sampler", "steps", "guidance", "thresholding", "device", "provenance" };
    private static readonly string[] EncoderFields = { "kind", "library", "width", "max_tokens", "path", "vocabulary" };

    public static ModelManifest Read(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        folder = System.IO.Path.GetFullPath(folder);
        string path = System.IO.Path.Combine(folder, ModelManifest.FileName);
        if (!File.Exists(path)) throw new ModelManifestException(path, $"no model manifest: {folder} is not a Matryoshka model folder (it has no {ModelManifest.FileName}).");
        using var document = Parse(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new ModelManifestException(path, "the manifest must be a JSON object.");
        var fields = new Fields(path, root, "", TopFields);
        int version = fields.Int("format_version", 1, int.MaxValue) ?? throw fields.Missing("format_version");
        if (version != FormatVersion) throw new ModelManifestException(path, $"format_version {version} is not supported (this library reads {FormatVersion}).");
        return new ModelManifest
        {
            Folder = folder,
            Name = fields.String("name") ?? throw fields.Missing("name"),
            ConfigPath = fields.File("config", folder) ?? throw fields.Missing("config"),
            WeightsPath = fields.File("weights", folder) ?? throw fields.Missing("weights"),
            TextEncoder = root.TryGetProperty("text_encoder", out var encoder) && encoder.ValueKind != JsonValueKind.Null ? Encoder(path, encoder, folder) : null,
            Pixels = fields.String("pixels") is { } pixels ? Pixels(fields, pixels) : throw fields.Missing("pixels"),
            Sampler = fields.Named("sampler", Samplers.Names),
            Steps = fields.Int("steps", 1, 1000),
            Guidance = fields.Double("guidance", 0, 100),
            Thresholding = fields.Named("thresholding", ThresholdingNames.Names),
            Device = fields.DeviceName("device"),
            Provenance = fields.StringMap("provenance"),
        };
    }

    private static JsonDocument Parse(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            if (stream.Length > MaxBytes) throw new ModelManifestException(path, $"the manifest is {stream.Length:N0} bytes; at most {MaxBytes:N0} are read.");
            return JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new ModelManifestException(path, $"not valid JSON ({e.Message}).", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelManifestException(path, $"cannot be read ({e.Message}).", e);
        }
    }

    private static TextEncoderSpec Encoder(string path, JsonElement element, string folder)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new ModelManifestException(path, "text_encoder must be an object or null.");
        var fields = new Fields(path, element, "text_encoder.", EncoderFields);
        return new TextEncoderSpec(
            fields.String("kind") ?? throw fields.Missing("kind"),
            fields.String("library"),
            fields.Int("width", 1, 1 << 16) ?? throw fields.Missing("width"),
            fields.Int("max_tokens", 1, 1 << 16) ?? throw fields.Missing("max_tokens"),
            folder,
            fields.File("path", folder, allowFolder: true),
            fields.File("vocabulary", folder));
    }

    private static PixelConvention Pixels(Fields fields, string name) => name.ToLowerInvariant() switch
    {
        "standard" => PixelConvention.Standard,
        "mlmdm" => PixelConvention.MlMdm,
        _ => throw fields.Invalid("pixels", $"'{name}' is not one of standard, mlmdm"),
    };
}
