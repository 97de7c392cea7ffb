using Matryoshka.Models;
using Matryoshka.Pipelines;
using Matryoshka.Runtime;
using Matryoshka.Tests.Training;
using Matryoshka.Training;
using Matryoshka.Training.Configuration;
using Matryoshka.Training.Runs;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Runtime;

/// <summary>
/// bfloat16 is refused on a CPU where it is emulated slowly (hundreds of times slower than float32 on AVX2-only
/// machines), with the reason and the opt-out; detection from CPU flags and from timings, closed-form cases.
/// </summary>
public sealed class BFloat16GuardTests
{
    private static readonly BFloat16Support Slow = BFloat16Support.FromTimings(float32Seconds: 0.001, bfloat16Seconds: 0.3);

    [Fact]
    public void Native_flags_make_bfloat16_fast_and_their_absence_leaves_it_to_timing()
    {
        const string zen5 = "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu sse avx2 avx512f avx512_bf16 avx512_vnni\n";
        const string sapphire = "flags\t\t: avx2 avx512f amx_bf16 amx_tile\n";
        const string avx2Only = "processor\t: 0\nflags\t\t: fpu sse sse2 avx fma avx2 f16c\n";
        const string graviton3 = "processor\t: 0\nFeatures\t: fp asimd evtstrm aes sve bf16 i8mm\n";
        Assert.True(BFloat16Support.FromCpuInfo(zen5)!.Fast);
        Assert.Contains("avx512_bf16", BFloat16Support.FromCpuInfo(zen5)!.Evidence);
        Assert.True(BFloat16Support.FromCpuInfo(sapphire)!.Fast);
        Assert.True(BFloat16Support.FromCpuInfo(graviton3)!.Fast);
        Assert.Null(BFloat16Support.FromCpuInfo(avx2Only));
        Assert.Null(BFloat16Support.FromCpuInfo("no flags here"));
    }

    [Theory]
    [InlineData(0.001, 0.3, false)]    // 0.003×: emulation as measured on an AVX2-only EPYC
    [InlineData(0.001, 0.005, false)]  // 0.2×
    [InlineData(0.001, 0.004, true)]   // 0.25×: the threshold
    [InlineData(0.002, 0.001, true)]   // native: twice the float32 rate
    public void Timings_judge_bfloat16_by_its_rate_against_float32(double float32, double bfloat16, bool fast)
    {
        var support = BFloat16Support.FromTimings(float32, bfloat16);
        Assert.Equal(fast, support.Fast);
        Assert.Contains("float32 rate", support.Evidence);
    }

    [Fact]
    public void Slow_bfloat16_is_refused_on_the_cpu_with_the_reason_and_the_opt_out()
    {
        using var slow = BFloat16Support.OverrideForTests(Slow);
        var e = Assert.Throws<MatryoshkaException>(() => BFloat16Support.EnsureFastOrAllowed(CPU, ScalarType.BFloat16, false, "call X()"));
        Assert.Contains("bfloat16 is slow", e.Message);
        Assert.Contains("0.003× the float32 rate", e.Message);
        Assert.Contains("call X()", e.Message);
        BFloat16Support.EnsureFastOrAllowed(CPU, ScalarType.BFloat16, allowSlow: true, "call X()");
        BFloat16Support.EnsureFastOrAllowed(CPU, ScalarType.Float32, false, "call X()");
        BFloat16Support.EnsureFastOrAllowed(new Device(DeviceType.CUDA), ScalarType.BFloat16, false, "call X()");
    }

    [Fact]
    public void The_pipeline_builder_refuses_slow_bfloat16_at_build_unless_allowed()
    {
        using var scope = NewDisposeScope();
        using var model = new NestedUNet(TinyTraining.Config(), CPU, ScalarType.BFloat16);
        using (BFloat16Support.OverrideForTests(Slow))
        {
            var e = Assert.Throws<MatryoshkaException>(() => MatryoshkaPipeline.CreateBuilder().WithModel(model).OnDevice(CPU, ScalarType.BFloat16).Build());
            Assert.Contains("AllowSlowBFloat16()", e.Message);
            using var allowed = MatryoshkaPipeline.CreateBuilder().WithModel(model).OnDevice(CPU, ScalarType.BFloat16).AllowSlowBFloat16().Build();
            Assert.Equal(ScalarType.BFloat16, allowed.DType);
        }
        using var fast = BFloat16Support.OverrideForTests(BFloat16Support.FromTimings(0.002, 0.001));
        using var built = MatryoshkaPipeline.CreateBuilder().WithModel(model).OnDevice(CPU, ScalarType.BFloat16).Build();
        Assert.Equal(ScalarType.BFloat16, built.DType);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_training_config_in_bfloat16_is_refused_on_a_slow_cpu_unless_it_allows_it(bool allow)
    {
        using var folder = new TempFolder();
        string samples = Path.Combine(AppContext.BaseDirectory, "samples");
        File.WriteAllText(folder.File("train.yaml"), $$"""
            model: {{Path.Combine(samples, "configs", "tiny-two-level.model.yaml")}}
            dtype: bfloat16
            allow_slow_bfloat16: {{(allow ? "true" : "false")}}
            data: { kind: image-folder, path: {{Path.Combine(samples, "emoji-mini")}}, pixels: standard, batch_size: 2, prefetch: 1 }
            checkpoint: { every: 10, keep: 1 }
            stages: [ { levels: 1, steps: 1 } ]
            """);
        using var slow = BFloat16Support.OverrideForTests(Slow);
        if (allow)
        {
            using var setup = TrainingConfiguration.Load(folder.File("train.yaml")).CreateRun(folder.File("out"));
            Assert.NotNull(new ProgressiveTrainingRun(setup.Options));
            return;
        }
        var e = Assert.Throws<TrainingConfigException>(() => TrainingConfiguration.Load(folder.File("train.yaml")).CreateRun(folder.File("out")));
        Assert.Contains("train.yaml", e.Message);
        Assert.Contains("allow_slow_bfloat16: true", e.Message);
    }

    [Fact]
    public void This_machines_answer_agrees_with_its_flags()
    {
        var support = BFloat16Support.Cpu;
        if (File.Exists("/proc/cpuinfo") && BFloat16Support.FromCpuInfo(File.ReadAllText("/proc/cpuinfo")) is { } fromFlags)
            Assert.Equal(fromFlags, support);
        else
            Assert.Contains("float32 rate", support.Evidence); // no native flag: decided by the timing probe
    }
}
