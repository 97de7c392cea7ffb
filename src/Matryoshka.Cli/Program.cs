using System.CommandLine;

// Before anything loads libtorch: its OpenMP workers sleep instead of spinning between parallel regions, so a busy
// machine slows this tool down in proportion rather than collapsing it, and large tensors go on huge pages instead of
// costing a page fault per 4 KB (docs/performance.md, "Under contention", "Page faults"). Values already in the
// environment are kept.
Matryoshka.Runtime.CpuThreading.PrepareOpenMp();
Matryoshka.Runtime.CpuThreading.PrepareHugePages();

// Ctrl+C / SIGTERM cancel the running command, which then finishes its step and writes a checkpoint (train) before
// exiting; the default 2-second grace period would kill it in the middle of that.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(2) };
return await Matryoshka.Cli.Root.CommandTree.InvokeAsync(args, invocation);
