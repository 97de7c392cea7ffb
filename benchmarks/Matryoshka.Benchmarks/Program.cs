using BenchmarkDotNet.Running;
using Matryoshka.Benchmarks;

// `--smoke`: the smallest models, each benchmark once (CI's check that they all still run; see BenchmarkScope).
// `memory`: peak resident memory of training steps per model (see MemoryProbe).
// `side-by-side-info [--json PATH]`: FLOP and parameter counts of the PyTorch comparison's models (see SideBySideInfo).
// Anything else goes to BenchmarkDotNet, in-process (see BenchmarkConfig: out-of-process builds miss libtorch's natives).
if (args.Length > 0 && args[0] == "memory") return MemoryProbe.Run(args[1..]);
if (args.Length > 0 && args[0] == "side-by-side-info") return SideBySideInfo.Run(args[1..]);
BenchmarkScope.Smoke = args.Contains("--smoke");
if (BenchmarkScope.SkippedBFloat16Note is { } note) Console.WriteLine(note);
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args.Where(a => a != "--smoke").ToArray(), new BenchmarkConfig());
// A benchmark that threw is reported by BenchmarkDotNet but does not fail the process: make it, so CI notices.
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
