using System.CommandLine;

// Before anything loads libtorch: its OpenMP workers sleep instead of spinning between parallel regions, so a busy
// machine slows this tool down in proportion rather than collapsing it (docs/performance.md, "Under contention").
// An OMP_WAIT_POLICY already in the environment is kept.
Matryoshka.Runtime.CpuThreading.PrepareOpenMp();

// Ctrl+C / SIGTERM cancel the running command, which then finishes its step and writes a checkpoint (train) before
// exiting; the default 2-second grace period would kill it in the middle of that.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(2) };
return await Matryoshka.Cli.Root.CommandTree.InvokeAsync(args, invocation);
