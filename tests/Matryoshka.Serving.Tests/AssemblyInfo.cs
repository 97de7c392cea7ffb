using Xunit;

// One test at a time, as in Matryoshka.Tests (TorchSharp's implicit Scalars and GCs on other threads; see
// docs/troubleshooting.md), and because the queue tests measure what the one model is doing.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
