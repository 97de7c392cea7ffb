using BenchmarkDotNet.Running;

// In-process toolchain (see BenchmarkConfig): BenchmarkDotNet's out-of-process builds miss libtorch's natives.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, new Matryoshka.Benchmarks.BenchmarkConfig());
