using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Matryoshka.Runtime;

/// <summary>
/// Whether bfloat16 is fast on this machine's CPU. With native bf16 instructions (x86 <c>avx512_bf16</c> or
/// <c>amx_bf16</c>, Arm <c>bf16</c>) libtorch's bf16 matmuls run at up to twice the float32 rate; without them some
/// CPUs emulate bf16 hundreds of times slower than float32 (under 0.5 GFLOP/s on an AVX2-only EPYC), which looks like
/// a hang. Detected once per process: from the CPU's flags where the OS lists them, else by timing one small matmul
/// in both types.
/// </summary>
/// <param name="Fast">Whether bfloat16 runs at least <see cref="MinimumRateRatio"/> of the float32 rate.</param>
/// <param name="Evidence">What the answer rests on, for messages and <c>doctor</c>.</param>
public sealed record BFloat16Support(bool Fast, string Evidence)
{
    /// <summary>bf16 counts as fast down to this fraction of the float32 matmul rate (emulation on AVX2 measured far below it).</summary>
    public const double MinimumRateRatio = 0.25;

    private static readonly Lazy<BFloat16Support> Detected = new(Detect);
    private static readonly AsyncLocal<BFloat16Support?> Override = new();

    /// <summary>This machine's answer, detected on first use.</summary>
    public static BFloat16Support Cpu => Override.Value ?? Detected.Value;

    /// <summary>Replaces <see cref="Cpu"/> for the current async flow (tests).</summary>
    internal static IDisposable OverrideForTests(BFloat16Support support)
    {
        var previous = Override.Value;
        Override.Value = support;
        return new Restore(() => Override.Value = previous);
    }

    /// <summary>
    /// The answer from <c>/proc/cpuinfo</c> text: fast where a native bf16 flag is listed, null where the text has no
    /// flag list to judge (then only timing can tell).
    /// </summary>
    public static BFloat16Support? FromCpuInfo(string cpuInfo)
    {
        ArgumentNullException.ThrowIfNull(cpuInfo);
        foreach (var line in cpuInfo.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) continue;
            var key = line[..colon].Trim();
            if (key is not ("flags" or "Features")) continue; // x86 / Arm
            var flags = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var native = flags.FirstOrDefault(f => f is "avx512_bf16" or "amx_bf16" or "bf16");
            return native is not null
                ? new(true, $"the processor has native bfloat16 instructions ({native})")
                : null; // no native flag: some CPUs still emulate bf16 well (AVX-512), so time it
        }
        return null;
    }

    /// <summary>The answer from the time of the same matmul in float32 and in bfloat16.</summary>
    public static BFloat16Support FromTimings(double float32Seconds, double bfloat16Seconds)
    {
        if (!(float32Seconds > 0) || !(bfloat16Seconds > 0))
            throw new ArgumentOutOfRangeException(nameof(float32Seconds), "Timings must be positive.");
        double ratio = float32Seconds / bfloat16Seconds;
        return new(ratio >= MinimumRateRatio,
            $"no native bfloat16 flag; a {ProbeSize}² matmul ran at {ratio:0.###}× the float32 rate in bfloat16 " +
            $"({bfloat16Seconds * 1e3:0.##} ms vs {float32Seconds * 1e3:0.##} ms)");
    }

    /// <summary>
    /// Refuses bfloat16 on a CPU where it is slow, unless <paramref name="allowSlow"/>: a run that would crawl fails at
    /// once with the reason instead. Anything else passes.
    /// </summary>
    /// <param name="device">Where the work runs; only the CPU is judged.</param>
    /// <param name="dtype">The work's dtype; only bfloat16 is judged.</param>
    /// <param name="allowSlow">The caller's explicit opt-in to slow bfloat16.</param>
    /// <param name="optOut">How the caller opts in, named in the message (e.g. <c>AllowSlowBFloat16()</c>).</param>
    /// <exception cref="MatryoshkaException">bfloat16 on a CPU where it is slow.</exception>
    public static void EnsureFastOrAllowed(Device device, ScalarType dtype, bool allowSlow, string optOut)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (dtype != ScalarType.BFloat16 || device.type != DeviceType.CPU || allowSlow) return;
        var support = Cpu;
        if (support.Fast) return;
        throw new MatryoshkaException(
            $"bfloat16 is slow on this processor: {support.Evidence}. A generation or training step would take many times " +
            $"longer than in float32. Use float32, or {optOut} to run bfloat16 anyway.");
    }

    private const int ProbeSize = 128;

    private static BFloat16Support Detect()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo") && FromCpuInfo(ReadHead("/proc/cpuinfo")) is { } fromFlags) return fromFlags;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // fall through to timing
        }
        return Probe();
    }

    // The first CPU's block is enough: flags are the same on every core of the machines libtorch supports.
    private static string ReadHead(string path)
    {
        using var reader = new StreamReader(path);
        var buffer = new char[64 * 1024];
        int read = reader.ReadBlock(buffer, 0, buffer.Length);
        return new string(buffer, 0, read);
    }

    private static BFloat16Support Probe()
    {
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var generator = new Generator(0);
        var a = randn(new long[] { ProbeSize, ProbeSize }, generator: generator);
        var b = randn(new long[] { ProbeSize, ProbeSize }, generator: generator);
        return FromTimings(Time(a, b), Time(a.to(ScalarType.BFloat16), b.to(ScalarType.BFloat16)));
    }

    // The fastest of three after a warm-up: the probe must not mistake one descheduled run for slow bf16.
    private static double Time(Tensor a, Tensor b)
    {
        using (a.matmul(b)) { }
        double best = double.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            using (a.matmul(b)) { }
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return best;
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
