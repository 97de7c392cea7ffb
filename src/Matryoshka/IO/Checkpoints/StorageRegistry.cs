using TorchSharp;

namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// Interprets torch's persistent ids — <c>('storage', StorageType, key, location, numel)</c> in zip
/// checkpoints, with a sixth item <c>view_metadata</c> in legacy ones — and keeps every root storage
/// the pickle names, refusing a key used with two different types or sizes.
/// </summary>
internal sealed class StorageRegistry(bool legacy, Action<PickledStorage, PickleFailure>? onNewRoot = null)
{
    /// <summary>Longest storage key accepted (torch writes small decimal numbers).</summary>
    private const int MaxKeyLength = 64;

    private readonly OrderedDictionary<string, PickledStorage> _roots = new(StringComparer.Ordinal);

    /// <summary>Every root storage named so far, in order of first use.</summary>
    public IReadOnlyDictionary<string, PickledStorage> Roots => _roots;

    public PickledStorage Load(object? id, PickleFailure failure)
    {
        var expectedCount = legacy ? 6 : 5;
        if (id is not PickleTuple { Count: > 0 } tuple || tuple[0] is not string typeName)
        {
            throw failure.Format($"persistent id is a {PickleTypeNames.Of(id)}, not a torch storage reference");
        }
        if (typeName != "storage")
        {
            throw failure.Format($"persistent id of type '{Shorten(typeName)}' is not supported (only 'storage')");
        }
        if (tuple.Count != expectedCount)
        {
            throw failure.Format($"storage reference has {tuple.Count} items; expected {expectedCount}");
        }
        if (tuple[1] is not PickleGlobal { Kind: PickleGlobalKind.StorageType } storageType)
        {
            throw failure.Format($"storage type is a {PickleTypeNames.Of(tuple[1])}, not a torch storage class");
        }
        var key = tuple[2] as string;
        if (key is null || key.Length == 0 || key.Length > MaxKeyLength || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw failure.Format($"storage key {Describe(tuple[2])} is not a plain name");
        }
        if (tuple[3] is not string location)
        {
            throw failure.Format($"storage location is a {PickleTypeNames.Of(tuple[3])}, not a str");
        }
        if (tuple[4] is not long count || count < 0)
        {
            throw failure.Format($"storage '{key}' element count {Describe(tuple[4])} is not a non-negative int");
        }
        var scalarType = storageType.StorageScalarType;
        if (count > long.MaxValue / StorageElements.Size(scalarType))
        {
            throw failure.Format($"storage '{key}' of {count} elements overflows a 64-bit byte count");
        }

        var root = new PickledStorage(key, scalarType, count, 0, count, location);
        if (_roots.TryGetValue(key, out var known))
        {
            if (known.ScalarType != scalarType || known.RootElementCount != count)
            {
                throw failure.Format(
                    $"storage '{key}' is referenced as {count} × {scalarType} after {known.RootElementCount} × {known.ScalarType}");
            }
            root = known;
        }
        else
        {
            onNewRoot?.Invoke(root, failure);
            _roots.Add(key, root);
        }
        return legacy ? View(root, tuple[5], failure) : root;
    }

    /// <summary>Legacy view_metadata: None, or <c>(view_key, offset, size)</c> in elements of the root.</summary>
    private static PickledStorage View(PickledStorage root, object? viewMetadata, PickleFailure failure)
    {
        if (viewMetadata is null)
        {
            return root;
        }
        if (viewMetadata is not PickleTuple { Count: 3 } view || view[0] is not string
            || view[1] is not long offset || view[2] is not long size || offset < 0 || size < 0)
        {
            throw failure.Format($"storage '{root.RootKey}' view metadata is not (key, offset, size) with non-negative ints");
        }
        if (offset > root.RootElementCount - size)
        {
            throw failure.Format(
                $"storage '{root.RootKey}' view of {size} elements at offset {offset} is past the end of its {root.RootElementCount} elements");
        }
        return root with { ViewElementOffset = offset, ViewElementCount = size };
    }

    private static string Describe(object? value) => value switch
    {
        string text => $"'{Shorten(text)}'",
        long number => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        System.Numerics.BigInteger number => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => $"of type {PickleTypeNames.Of(value)}",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
