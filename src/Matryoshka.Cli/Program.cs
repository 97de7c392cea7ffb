using System.CommandLine;

// Ctrl+C / SIGTERM cancel the running command, which then finishes its step and writes a checkpoint (train) before
// exiting; the default 2-second grace period would kill it in the middle of that.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(2) };
return await Matryoshka.Cli.Root.CommandTree.InvokeAsync(args, invocation);
