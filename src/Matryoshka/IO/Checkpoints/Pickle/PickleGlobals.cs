using TorchSharp;

namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// The allow-list of globals a checkpoint may name. Torch's tensor and storage rebuilders and
/// OrderedDict are interpreted by Matryoshka's own code; ml-mdm's config classes (under the
/// <c>ml_mdm</c> package or the old top-level module names its released checkpoints use) and
/// <c>argparse.Namespace</c> become inert data. Every other global is refused.
/// </summary>
internal static class PickleGlobals
{
    /// <summary>First module segments of ml-mdm's classes: the package and the old top-level names.</summary>
    private static readonly HashSet<string> InertPackages = new(StringComparer.Ordinal)
    {
        "ml_mdm", "models", "samplers", "diffusion", "config", "language_models", "reader", "distributed",
    };

    /// <summary>Resolves <paramref name="module"/>.<paramref name="name"/> or refuses the pickle.</summary>
    /// <exception cref="UnsafeCheckpointException">The global is not on the allow-list.</exception>
    public static PickleGlobal Resolve(string module, string name, PickleFailure failure)
    {
        var kind = Classify(module, name, out var storageType);
        if (kind is null && module is "torch" or "torch.cuda" && name.EndsWith("Storage", StringComparison.Ordinal) && IsDottedIdentifier(name))
        {
            // A real storage class (complex, quantised, float8, untyped): harmless, just not supported.
            throw failure.Format($"storage type '{module}.{name}' is not supported (supported: {string.Join(", ", StorageElements.ByName.Keys)})");
        }
        if (kind is null)
        {
            var fullName = $"{module}.{name}";
            throw failure.Unsafe(fullName,
                $"refused global '{fullName}': a checkpoint never needs it, so the file is not loaded (nothing in it was executed)");
        }
        return new PickleGlobal(module, name, kind.Value, storageType);
    }

    private static PickleGlobalKind? Classify(string module, string name, out torch.ScalarType storageType)
    {
        storageType = default;
        if (!IsDottedIdentifier(module) || !IsDottedIdentifier(name))
        {
            return null;
        }
        switch (module, name)
        {
            case ("torch._utils", "_rebuild_tensor_v2"):
                return PickleGlobalKind.RebuildTensorV2;
            case ("torch._utils", "_rebuild_tensor"):
                return PickleGlobalKind.RebuildTensor;
            case ("torch._utils", "_rebuild_parameter"):
                return PickleGlobalKind.RebuildParameter;
            case ("torch._utils", "_rebuild_parameter_with_state"):
                return PickleGlobalKind.RebuildParameterWithState;
            case ("collections", "OrderedDict"):
                return PickleGlobalKind.OrderedDict;
            case ("builtins" or "__builtin__", "getattr"):
                return PickleGlobalKind.Getattr;
            case ("argparse", "Namespace"):
                return PickleGlobalKind.InertClass;
        }
        // Checkpoints saved from a GPU by old PyTorch name torch.cuda.*Storage; the bytes are the same.
        if (module is "torch" or "torch.cuda" && StorageElements.ByName.TryGetValue(name, out storageType))
        {
            return PickleGlobalKind.StorageType;
        }
        var package = module.Split('.')[0];
        return InertPackages.Contains(package) ? PickleGlobalKind.InertClass : null;
    }

    /// <summary>Python identifiers joined by dots: anything else cannot be a real module or class name.</summary>
    private static bool IsDottedIdentifier(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }
        foreach (var part in text.Split('.'))
        {
            if (part.Length == 0 || char.IsAsciiDigit(part[0]) || !part.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }
        return true;
    }
}
