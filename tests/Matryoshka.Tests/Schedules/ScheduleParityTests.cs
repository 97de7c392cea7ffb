using Matryoshka.Schedules;
using Matryoshka.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Matryoshka.Tests.Schedules;

/// <summary>Schedules, per-level shifts and sampling timesteps against ml-mdm's own values (schedule.safetensors).</summary>
public class ScheduleParityTests
{
    public static TheoryData<string> Cases => new() { "two_level", "three_level", "temporal_two_level" };

    private static MultiResolutionSchedule ScheduleOf(MlMdmFixture fixture)
    {
        Assert.Equal("DEEPFLOYD", fixture.SamplerConfig.GetProperty("schedule_type").GetString());
        return new MultiResolutionSchedule(NoiseSchedules.CosineCapped(fixture.TrainSteps), fixture.LevelResolutions, fixture.ShiftPower);
    }

    [Theory, MemberData(nameof(Cases))]
    public void Base_schedule_matches_ml_mdm_gammas(string name)
    {
        using var scope = NewDisposeScope();
        var fixture = MlMdmFixture.Open(name);
        var expected = fixture.Load("schedule.safetensors")["gammas"];
        var schedule = ScheduleOf(fixture);
        Assert.Equal(1001, schedule.Base.AlphaBars.Count);
        Assert.Equal(1f, schedule.Base[0]);
        TensorAssert.Close(expected, schedule.Base.ToTensor(CPU), 1e-6, "gammas");
    }

    [Theory, MemberData(nameof(Cases))]
    public void Shifted_level_schedules_match_ml_mdm(string name)
    {
        using var scope = NewDisposeScope();
        var fixture = MlMdmFixture.Open(name);
        var tensors = fixture.Load("schedule.safetensors");
        var schedule = ScheduleOf(fixture);
        TensorAssert.Equal(tensors["scales"].data<long>().ToArray(), tensor(schedule.Scales.Select(s => (long)s).ToArray()), "scales");
        for (int level = 0; level < schedule.LevelCount; level++)
        {
            TensorAssert.Close(tensors[$"gammas_level.{level}"], schedule.Level(level).ToTensor(CPU), 1e-6, $"gammas_level.{level}");
            var probed = schedule.Level(level).Gather(tensors["probe_index"]);
            TensorAssert.Close(tensors[$"probe_gammas_level.{level}"], probed, 1e-6, $"probe_gammas_level.{level}");
        }
    }

    [Theory, MemberData(nameof(Cases))]
    public void Shift_is_computed_in_float32_like_ml_mdm(string name)
    {
        // ml-mdm shifts the float32 buffer in float32; a float64 shift differs by up to ~8e-8 (fixture README).
        using var scope = NewDisposeScope();
        var fixture = MlMdmFixture.Open(name);
        var expected = fixture.Load("schedule.safetensors")["gammas_level.0"].data<float>().ToArray();
        var actual = ScheduleOf(fixture).Level(0).AlphaBars;
        int identical = expected.Zip(actual).Count(p => p.First == p.Second);
        Assert.True(identical >= expected.Length - 10, $"only {identical} of {expected.Length} shifted values are bit-identical");
    }

    [Theory, MemberData(nameof(Cases))]
    public void Sampling_timesteps_match_set_timesteps(string name)
    {
        using var scope = NewDisposeScope();
        var fixture = MlMdmFixture.Open(name);
        var tensors = fixture.Load("schedule.safetensors");
        var counts = tensors.Keys.Where(k => k.StartsWith("timesteps.n")).Select(k => int.Parse(k["timesteps.n".Length..])).ToList();
        Assert.Contains(5, counts);
        Assert.Contains(50, counts);
        Assert.Contains(250, counts);
        foreach (int n in counts)
            TensorAssert.Equal(tensors[$"timesteps.n{n}"].data<long>().ToArray(),
                tensor(SamplingTimesteps.Create(fixture.TrainSteps, n, TimestepSpacing.MatryoshkaStyle)), $"timesteps.n{n}");
    }
}
