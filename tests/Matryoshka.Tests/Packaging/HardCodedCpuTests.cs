using System.Text.RegularExpressions;
using Xunit;

namespace Matryoshka.Tests.Packaging;

/// <summary>
/// GPU users depend on the library computing on the device it is given; no CUDA is available here to run that, so
/// this test guards the source instead: every use of <c>CPU</c> in the libraries' code (comments aside) must be one of
/// the reviewed kinds below — seeded random draws (noise is drawn on the CPU by design and moved), host staging of
/// bytes read from files or images, results handed back to the caller, defaults for a device nobody gave, and device
/// checks. A new one fails here until it uses the configured device or is reviewed into the list with its reason.
/// </summary>
public class HardCodedCpuTests
{
    private static readonly Dictionary<string, (int Count, string Why)> Reviewed = new()
    {
        ["src/Matryoshka/Conditioning/T5/T5Encoder.cs"] = (1, "default device when none is given"),
        ["src/Matryoshka/Conditioning/T5/T5TextEncoderFactory.cs"] = (1, "T5 from a manifest runs on the CPU; its outputs move to the pipeline's device in Encode"),
        ["src/Matryoshka/Pipelines/MatryoshkaPipelineBuilder.cs"] = (2, "default device; weights load on the CPU and the model moves to the device at Build"),
        ["src/Matryoshka/Pipelines/MatryoshkaPipeline.cs"] = (2, "results and previews are handed to the caller as CPU copies"),
        ["src/Matryoshka/Models/NestedUNet.cs"] = (2, "default device when none is given; device check: wide levels run channels-last on the CPU only"),
        ["src/Matryoshka/Models/Blocks/SafeConvolution.cs"] = (1, "device check: the oneDNN workaround applies on the CPU only"),
        ["src/Matryoshka/Runtime/BFloat16Support.cs"] = (1, "device check: only the CPU's bfloat16 speed is judged"),
        ["src/Matryoshka/Sampling/GeneratorNoiseSource.cs"] = (3, "seeded noise drawn on the CPU, then moved"),
        ["src/Matryoshka/Training/Checkpoints/TrainingCheckpointStore.cs"] = (1, "checkpoint tensors read from disk"),
        ["src/Matryoshka/Training/UnconditionalText.cs"] = (2, "default device when none is given"),
        ["src/Matryoshka/Training/Trainer.cs"] = (1, "seeded conditioning-dropout draw on the CPU"),
        ["src/Matryoshka/Training/Runs/ProgressiveTrainingRun.cs"] = (2, "host staging of decoded image bytes; initial weights read from disk (both moved by the trainer)"),
        ["src/Matryoshka/Training/Checkpoints/OmittedFrozenWeights.cs"] = (1, "frozen weights read back from disk"),
        ["src/Matryoshka/Training/Runs/TrainingRunOptions.cs"] = (1, "default device"),
        ["src/Matryoshka/Training/Data/TrainingBatchTensors.cs"] = (2, "host staging of batch bytes, then moved"),
        ["src/Matryoshka/IO/Checkpoints/CheckpointTensors.cs"] = (1, "checkpoint storage read from disk"),
        ["src/Matryoshka/IO/TensorBytes.cs"] = (2, "device check before reading raw bytes"),
        ["src/Matryoshka/IO/SafetensorsWriter.cs"] = (1, "tensors are copied to the host to be written"),
        ["src/Matryoshka/IO/Checkpoints/TorchCheckpointWriter.cs"] = (1, "tensors are copied to the host to be written"),
        ["src/Matryoshka/IO/SafetensorsReader.cs"] = (2, "file bytes land on the host, then move to the requested device"),
        ["src/Matryoshka/Diffusion/NoisedBatch.cs"] = (2, "seeded timestep draw on the CPU, then moved"),
        ["src/Matryoshka/Diffusion/ForwardProcess.cs"] = (2, "seeded noise drawn on the CPU, then moved"),
        ["src/Matryoshka/Interop/MlMdm/Parity/TensorDifference.cs"] = (3, "parity comparisons in float64 on the host, results handed back"),
        ["src/Matryoshka/Interop/MlMdm/Parity/ForwardReplay.cs"] = (1, "default device when none is given"),
        ["src/Matryoshka/Interop/MlMdm/Parity/SamplingReplay.cs"] = (1, "default device when none is given"),
        ["src/Matryoshka/Pipelines/Generation/GenerationJob.cs"] = (1, "prompts encoded on the host before the model loads; the pipeline moves the conditioning to its device"),
        ["src/Matryoshka/Diagnostics/DiagnosisFixes.cs"] = (2, "installation advice naming the CPU backend packages; no computation"),
        ["src/Matryoshka/Diagnostics/NativeFiles.cs"] = (3, "file names of libtorch's CPU backend, looked for on disk; no computation"),
        ["src/Matryoshka/Diagnostics/InstallationDoctor.cs"] = (1, "the installation doctor loads the CPU backend, as TorchSharp's first call does; CUDA is reported, not used"),
        ["src/Matryoshka/Diagnostics/TorchSmokeTest.cs"] = (3, "the installation doctor's smoke test: a known 2×2 product on the CPU backend, which every libtorch package has"),
        ["src/Matryoshka.ImageSharp/TensorImages.cs"] = (2, "image bytes on the host; default device when none is given"),
        ["src/Matryoshka.ImageSharp/LevelGrid.cs"] = (1, "an image canvas on the host"),
        ["src/Matryoshka.ImageSharp/PixelQuantizer.cs"] = (1, "bytes for an image file go to the host"),
        ["src/Matryoshka.Evaluation/FrechetDistance.cs"] = (1, "feature statistics in float64 on the host (ONNX Runtime features are host arrays)"),
        ["src/Matryoshka.Evaluation/BilinearResize.cs"] = (1, "ResNet18's input is resized on the host: ONNX Runtime reads it from a host array"),
        ["src/Matryoshka.Training/Configuration/TrainingSetup.cs"] = (3, "default device when none is given; the memory budget defaults to the machine's memory only on the CPU; the empty caption's encoding, which the trainer moves to the run's device"),
        ["src/Matryoshka.Training/Experiments/ExperimentWorkflow.cs"] = (1, "default device when none is given"),
    };

    private static readonly Regex CpuToken = new(@"\bCPU\b", RegexOptions.Compiled);

    [Fact]
    public void Every_CPU_in_library_code_is_a_reviewed_use()
    {
        string root = RepositoryFolder.Root;
        var libraries = Directory.GetDirectories(Path.Combine(root, "src"), "Matryoshka*")
            .Where(d => !Path.GetFileName(d).EndsWith(".Cli", StringComparison.Ordinal) && !Path.GetFileName(d).EndsWith(".Build.Tasks", StringComparison.Ordinal));
        var found = libraries
            .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => (File: Path.GetRelativePath(root, f).Replace('\\', '/'), Count: File.ReadLines(f).Where(IsCode).Sum(line => CpuToken.Matches(line).Count)))
            .Where(x => x.Count > 0)
            .ToDictionary(x => x.File, x => x.Count);

        var unreviewed = found.Where(x => !Reviewed.TryGetValue(x.Key, out var r) || x.Value > r.Count).Select(x => $"{x.Key}: {x.Value}").ToList();
        Assert.True(unreviewed.Count == 0,
            "CPU is hard-coded in library code beyond the reviewed uses; compute on the configured device, or review the use into this test with its reason:\n" +
            string.Join("\n", unreviewed));
    }

    private static bool IsCode(string line)
    {
        string trimmed = line.TrimStart();
        return !trimmed.StartsWith("//", StringComparison.Ordinal);
    }
}
