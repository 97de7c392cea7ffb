using Xunit;

// One test at a time. TorchSharp 0.107.0 frees the Scalar objects it creates implicitly (e.g. the alpha of every
// tensor addition) in their finalizers, with no GC.KeepAlive around the native call that uses them; when another
// thread allocates and triggers a GC during that call, the scalar can be freed while in use (seen once as a
// c10 "toFloat" failure in a parallel CI run; see dotnet/TorchSharp#1434 and docs/troubleshooting.md). With a
// single test thread, nothing allocates while a native call is in flight.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
