using BenchmarkDotNet.Running;
using Matryoshka.Benchmarks;

// `--smoke`: the smallest models, each benchmark once (CI's check that they all still run; see BenchmarkScope).
// `memory`: peak resident memory of training steps per model (see MemoryProbe).
// `profile MODEL [--batch N] [--rounds N]`: a forward pass's time per level, resolution and operation (see LevelProfile).
// `side-by-side-info [--json PATH]`: FLOP and parameter counts of the PyTorch comparison's models (see SideBySideInfo).
// Anything else goes to BenchmarkDotNet, in-process (see BenchmarkConfig: out-of-process builds miss libtorch's natives).
// The CLI's CPU policy (passive OpenMP waiting, huge pages for large tensors), set before libtorch loads, so the numbers
// are what `matryoshka` users get; OMP_WAIT_POLICY / THP_MEM_ALLOC_ENABLE in the environment override it.
Matryoshka.Runtime.CpuThreading.PrepareOpenMp();
Matryoshka.Runtime.CpuThreading.PrepareHugePages();
if (args.Length > 0 && args[0] == "memory") return MemoryProbe.Run(args[1..]);
if (args.Length > 0 && args[0] == "profile") return LevelProfile.Run(args[1..]);
if (args.Length > 0 && args[0] == "side-by-side-info") return SideBySideInfo.Run(args[1..]);
BenchmarkScope.Smoke = args.Contains("--smoke");
if (BenchmarkScope.SkippedBFloat16Note is { } note) Console.WriteLine(note);
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args.Where(a => a != "--smoke").ToArray(), new BenchmarkConfig());
// A benchmark that threw is reported by BenchmarkDotNet but does not fail the process: make it, so CI notices.
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
