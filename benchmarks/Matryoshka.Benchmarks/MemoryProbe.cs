using System.Diagnostics;
using System.Globalization;
using Matryoshka.Training.Runs;
using static TorchSharp.torch;

namespace Matryoshka.Benchmarks;

/// <summary>
/// Resident memory of training, per model (Linux, float32): <c>memory [--batch 8] [--steps 30] [model …]</c> runs each
/// model in a fresh child process (so one model's freed-but-kept heap cannot hide the next one's) and prints a
/// markdown table: the resident set before the model exists, after building model, optimizer and EMA, the peak of
/// the first training step, and the peak and final resident set after all steps (flat training memory: the last two
/// peaks agree).
/// </summary>
internal static class MemoryProbe
{
    private static readonly string[] DefaultModels =
        ["emoji-64", "emoji-64.inner", "released64/4", "nested256/4", "flat256/4"]; // the mdm1024/8 family: by name, at batch 1

    public static int Run(string[] args)
    {
        if (args.Length == 4 && args[0] == "--child") return Child(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture));
        int batch = 8, steps = 30;
        var models = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--batch") batch = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--steps") steps = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else models.Add(args[i]);
        }
        if (models.Count == 0) models.AddRange(DefaultModels);
        Console.WriteLine($"Training memory, float32, batch {batch}, {steps} steps (MiB of resident memory)");
        Console.WriteLine();
        Console.WriteLine("| model | process before the model | with model, AdamW, EMA | peak in step 1 | peak over all steps | resident after the last step |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        int failures = 0;
        foreach (var model in models)
        {
            var child = Process.Start(new ProcessStartInfo(Environment.ProcessPath!, ChildArguments(model, batch, steps)) { RedirectStandardOutput = true })!;
            string line = child.StandardOutput.ReadToEnd().Trim().Split('\n')[^1];
            child.WaitForExit();
            if (child.ExitCode != 0) { failures++; Console.WriteLine($"| {model} | failed (exit {child.ExitCode}) | | | | |"); continue; }
            Console.WriteLine($"| {model} | {line} |");
        }
        return failures == 0 ? 0 : 1;
    }

    // The child re-runs this program: `dotnet Matryoshka.Benchmarks.dll` or the apphost, whichever started us.
    private static IEnumerable<string> ChildArguments(string model, int batch, int steps)
    {
        var entry = Environment.GetCommandLineArgs()[0];
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") yield return entry;
        foreach (var arg in new[] { "memory", "--child", model, batch.ToString(CultureInfo.InvariantCulture), steps.ToString(CultureInfo.InvariantCulture) }) yield return arg;
    }

    private static int Child(string model, int batch, int steps)
    {
        using (var warm = ones(1)) { } // libtorch initialised before the first reading
        double before = Status("VmRSS");
        using var subject = new BenchmarkSubject(model, "float32", batch);
        using var trainer = subject.CreateTrainer();
        int resolution = subject.Resolutions[0];
        using var images = rand(new long[] { batch, 3, resolution, resolution }, generator: new Generator(2)) * 2 - 1;
        double built = Status("VmRSS");
        double firstPeak = 0;
        for (int step = 0; step < steps; step++)
        {
            using (NoGarbageCollectionRegion.Enter()) trainer.Step(images, subject.Text);
            if (step == 0) firstPeak = Status("VmHWM");
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Console.WriteLine(string.Join(" | ", new[] { before, built, firstPeak, Status("VmHWM"), Status("VmRSS") }.Select(m => m.ToString("F0", CultureInfo.InvariantCulture))));
        return 0;
    }

    // A /proc/self/status field in MiB (the kernel writes kB).
    private static double Status(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return double.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
    }
}
