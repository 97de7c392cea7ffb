using System.Diagnostics;
using System.Globalization;
using Matryoshka.Models;
using Matryoshka.Models.Blocks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Matryoshka.Benchmarks;

/// <summary>
/// <c>profile &lt;model&gt; [--batch N] [--rounds N] [--nchw] [--no-breakdown]</c>: where a forward pass spends its time, per level, resolution
/// and kind of operation, timed with forward hooks (CPU operations are synchronous, so a module's wall time between its
/// pre- and post-hook is its cost). Convolutions include SafeConvolution's channel padding; "resnet elementwise" is a
/// ResNet's time outside its convolutions, norms and linear layer (SiLU, the scale-shift, the residual add);
/// "level other" is the rest of the pass (skip concatenations, upsampling, embeddings). Also times whole training
/// steps (forward + backward + AdamW + EMA, as <c>train</c> runs them), whose backward the hooks cannot split.
/// </summary>
internal static class LevelProfile
{
    public static int Run(string[] args)
    {
        if (args.Length == 0) { Console.Error.WriteLine("usage: profile <model> [--batch N] [--rounds N] [--nchw] [--no-breakdown]"); return 2; }
        string model = args[0];
        int batch = Option(args, "--batch", 4), rounds = Option(args, "--rounds", 5);
        using var subject = new BenchmarkSubject(model, "float32", batch);
        var sections = new Dictionary<string, double>();
        var clocks = new Stack<long>();
        var inner = new Stack<double>();
        // The hooks' own cost is small but not nil: --no-breakdown times the bare pass.
        if (!args.Contains("--no-breakdown")) Hook(subject, sections, clocks, inner);

        var generator = new Generator(1);
        subject.Model.ChannelsLastOnCpu = !args.Contains("--nchw");
        var inputs = subject.Resolutions.Select(r => randn(new long[] { batch, 3, r, r }, generator: generator).DetachFromDisposeScope()).ToArray();
        var timesteps = full(new long[] { batch }, 500L, dtype: ScalarType.Int64).DetachFromDisposeScope();
        double total = 0;
        for (int round = 0; round <= rounds; round++)
        {
            if (round == 1) { sections.Clear(); total = 0; } // round 0 warms up
            using var scope = NewDisposeScope();
            using var inference = inference_mode();
            var clock = Stopwatch.StartNew();
            subject.Forward(inputs, timesteps);
            total += clock.Elapsed.TotalMilliseconds;
        }
        Print($"{model}, batch {batch}, forward (inference mode), mean of {rounds}", sections, total, rounds);

        var trainer = subject.CreateTrainer();
        var images = (rand(new long[] { batch, 3, subject.Resolutions[0], subject.Resolutions[0] }, generator: generator) * 2 - 1).DetachFromDisposeScope();
        var steps = new List<double>();
        for (int round = 0; round <= rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            trainer.Step(images, subject.Text);
            if (round > 0) steps.Add(clock.Elapsed.TotalMilliseconds);
        }
        steps.Sort();
        Console.WriteLine(FormattableString.Invariant($"training step: median {steps[steps.Count / 2]:F0} ms, min {steps[0]:F0} ms over {rounds}"));
        return 0;
    }

    private static void Hook(BenchmarkSubject subject, Dictionary<string, double> sections, Stack<long> clocks, Stack<double> inner)
    {
        void Enter() { clocks.Push(Stopwatch.GetTimestamp()); inner.Push(0); }
        void Leave(string key, bool exclusive)
        {
            double elapsed = Stopwatch.GetElapsedTime(clocks.Pop()).TotalMilliseconds;
            double children = inner.Pop();
            sections[key] = sections.GetValueOrDefault(key) + (exclusive ? elapsed - children : elapsed);
            if (inner.Count > 0) inner.Push(inner.Pop() + elapsed);
        }

        foreach (var (name, module) in subject.Model.named_modules())
        {
            string level = $"level {LevelPaths.LevelOf(name)}";
            switch (module)
            {
                case SafeConvolution conv:
                    conv.register_forward_pre_hook((_, _) => { Enter(); return null!; });
                    conv.register_forward_hook((_, _, y) => { Leave($"{level} {y.shape[2]}² conv {conv.Weight.shape[1]}→{conv.Weight.shape[0]} k{conv.Weight.shape[2]}", false); return null!; });
                    break;
                case GroupNorm norm:
                    norm.register_forward_pre_hook((_, _) => { Enter(); return null!; });
                    norm.register_forward_hook((_, x, _) => { Leave($"{level} {x.shape[2]}² group norm", false); return null!; });
                    break;
                case Linear linear:
                    linear.register_forward_pre_hook((_, _) => { Enter(); return null!; });
                    linear.register_forward_hook((_, _, _) => { Leave($"{level} linear", false); return null!; });
                    break;
                case ResNet resnet:
                    resnet.register_forward_pre_hook((_, _, _) => { Enter(); return null!; });
                    resnet.register_forward_hook((_, x, _, _) => { Leave($"{level} {x.shape[2]}² resnet elementwise", true); return null!; });
                    break;
                case SpatialAttention attention:
                    attention.register_forward_pre_hook((_, _, _, _) => { Enter(); return null!; });
                    attention.register_forward_hook((_, x, _, _, _) => { Leave($"{level} {x.shape[2]}² attention", false); return null!; });
                    break;
            }
        }
    }

    private static void Print(string title, Dictionary<string, double> sections, double total, int rounds)
    {
        Console.WriteLine(title);
        Console.WriteLine(FormattableString.Invariant($"  {"total",-48} {total / rounds,9:F1} ms  100.0 %"));
        double hooked = sections.Values.Sum();
        foreach (var (key, ms) in sections.Append(new("level other (outside the hooked modules)", total - hooked)).OrderByDescending(p => p.Value))
            Console.WriteLine(FormattableString.Invariant($"  {key,-48} {ms / rounds,9:F1} ms {100 * ms / total,6:F1} %"));
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
