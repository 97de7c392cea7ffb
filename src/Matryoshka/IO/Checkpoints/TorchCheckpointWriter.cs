using System.Globalization;
using System.IO.Hashing;
using TorchSharp;

namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// Writes <c>torch.save({"state_dict": OrderedDict(...), **items})</c> in PyTorch's zip format, as ml-mdm's
/// <c>UNet.save</c> and <c>ModelEma.save</c> do: <c>archive/data.pkl</c> (the pickle), <c>archive/byteorder</c>
/// (<c>little</c>), <c>archive/data/&lt;key&gt;</c> (one storage per tensor, its raw little-endian bytes, keys
/// <c>0</c>…<c>N-1</c> in state_dict order, entries in torch's sorted order) and <c>archive/version</c> (<c>3</c>).
/// Each tensor is <c>_rebuild_tensor_v2(storage, 0, shape, contiguous strides, False, OrderedDict())</c>; the pickle
/// names only globals <c>torch.load(weights_only=True)</c> accepts (<c>collections.OrderedDict</c>,
/// <c>torch._utils._rebuild_tensor_v2</c>, <c>torch.*Storage</c>).
/// </summary>
internal static class TorchCheckpointWriter
{
    private const string Folder = "archive/";
    private const int SetItemsBatch = 1000; // CPython's pickler batches dict items the same way.

    public static void Save(string path, IReadOnlyList<KeyValuePair<string, torch.Tensor>> stateDict,
        IReadOnlyList<KeyValuePair<string, object>> items, IProgress<CheckpointWriteProgress>? progress, CancellationToken cancellationToken)
    {
        SafetensorsReader.ThrowIfBigEndian();
        var pickle = Pickle(stateDict, items, path);
        var sizes = stateDict.Select(p => p.Value.numel() * StorageElements.Size(p.Value.dtype)).ToArray();
        var total = sizes.Sum();
        var archiveBytes = total + pickle.Length + StoredZipWriter.EndRecordBytes
            + (stateDict.Count + 3) * (long)(StoredZipWriter.EntryOverhead + Folder.Length + 16);
        if (archiveBytes >= uint.MaxValue)
        {
            throw new CheckpointExportException(path,
                $"the checkpoint would be about {archiveBytes:N0} bytes; files over 4 GiB need ZIP64, which this writer does not write (export in bfloat16 or float16 to halve it)");
        }

        AtomicFile.Write(path, stream =>
        {
            var zip = new StoredZipWriter(stream);
            zip.Add(Folder + "data.pkl", pickle);
            zip.Add(Folder + "byteorder", "little"u8);
            long written = 0;
            var order = Enumerable.Range(0, stateDict.Count).OrderBy(StorageKey, StringComparer.Ordinal).ToArray();
            for (int done = 0; done < order.Length; done++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var index = order[done];
                using (var scope = torch.NewDisposeScope())
                {
                    // detach/to/contiguous return the caller's own tensor when nothing needs copying; it is only read.
                    var cpu = stateDict[index].Value.detach().to(torch.CPU).contiguous();
                    var crc = new Crc32();
                    TensorBytes.ForEachChunk(cpu, TensorBytes.DefaultChunkBytes, chunk => crc.Append(chunk));
                    zip.Add(Folder + "data/" + StorageKey(index), sizes[index], crc.GetCurrentHashAsUInt32(), s => TensorBytes.WriteFrom(s, cpu));
                }
                written += sizes[index];
                progress?.Report(new CheckpointWriteProgress(done + 1, order.Length, written, total));
            }
            zip.Add(Folder + "version", "3\n"u8); // the zip format version torch 1.6 to 2.x write
            zip.Finish();
        });
    }

    private static string StorageKey(int index) => index.ToString(CultureInfo.InvariantCulture);

    private static byte[] Pickle(IReadOnlyList<KeyValuePair<string, torch.Tensor>> stateDict, IReadOnlyList<KeyValuePair<string, object>> items, string path)
    {
        using var buffer = new MemoryStream();
        var pickle = new PickleWriter(buffer);
        pickle.EmptyDict();
        pickle.Mark();
        pickle.String("state_dict");
        EmptyOrderedDict(pickle);
        for (int start = 0; start < stateDict.Count; start += SetItemsBatch)
        {
            pickle.Mark();
            for (int i = start; i < Math.Min(stateDict.Count, start + SetItemsBatch); i++)
            {
                pickle.String(stateDict[i].Key);
                Tensor(pickle, stateDict[i].Value, i, path);
            }
            pickle.SetItems();
        }
        foreach (var (key, value) in items)
        {
            pickle.String(key);
            switch (value)
            {
                case bool flag: pickle.Bool(flag); break;
                case int number: pickle.Int(number); break;
                case long number: pickle.Int(number); break;
                case string text: pickle.String(text); break;
                default:
                    // Floats included: torch 1.13's safe loader has no BINFLOAT.
                    throw new ArgumentException($"Item '{key}' is a {value?.GetType().Name ?? "null"}; only bool, int, long and string items load under weights_only=True in every PyTorch.", nameof(items));
            }
        }
        pickle.SetItems();
        pickle.Stop();
        return buffer.ToArray();
    }

    private static void EmptyOrderedDict(PickleWriter pickle)
    {
        pickle.Global("collections", "OrderedDict");
        pickle.Tuple(0);
        pickle.Reduce();
    }

    private static void Tensor(PickleWriter pickle, torch.Tensor tensor, int index, string path)
    {
        var storage = StorageElements.NameOf(tensor.dtype)
            ?? throw new CheckpointExportException(path, $"tensor {index} has dtype {tensor.dtype}, which no torch storage type this writer knows holds");
        var shape = tensor.shape;
        var strides = new long[shape.Length];
        for (long stride = 1, d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= Math.Max(1, shape[d]);
        }

        pickle.Global("torch._utils", "_rebuild_tensor_v2");
        pickle.Mark();
        // The persistent id: ('storage', storage class, key, location, element count).
        pickle.Mark();
        pickle.String("storage", memoise: true);
        pickle.Global("torch", storage);
        pickle.String(StorageKey(index));
        pickle.String("cpu", memoise: true);
        pickle.Int(tensor.numel());
        pickle.Tuple(5);
        pickle.Op(PickleOpcodes.BinPersId);
        pickle.Int(0); // storage offset
        pickle.IntTuple(shape);
        pickle.IntTuple(strides);
        pickle.Bool(false); // requires_grad
        EmptyOrderedDict(pickle); // backward hooks
        pickle.Tuple(6);
        pickle.Reduce();
    }
}
