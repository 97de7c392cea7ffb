using Matryoshka.Cli.Experiments;
using Matryoshka.Evaluation;
using Matryoshka.Training.Experiments;
using Xunit;

namespace Matryoshka.Tests.Experiments;

/// <summary>Experiment specs: every invalid field is refused up front with its name, before anything trains.</summary>
public class ExperimentSpecTests
{
    [Theory]
    [InlineData("arms: []", "arms: at least one arm")]
    [InlineData("arms: [{ name: 'a b', training: joint.yaml }]", "arms[0].name must be")]
    [InlineData("arms: [{ name: x, training: joint.yaml }, { name: x, training: progressive.yaml }]", "arms[1].name 'x' is used twice")]
    [InlineData("arms: [{ name: x }]", "arms[0].training is required")]
    [InlineData("arms: [{ name: x, training: missing.yaml }]", "missing.yaml: does not exist")]
    [InlineData("seeds: []", "seeds: at least one seed")]
    [InlineData("seeds: [3, 3]", "seeds: a seed is listed twice")]
    [InlineData("evaluation: { at_steps: [] }", "evaluation.at_steps: at least one step")]
    [InlineData("evaluation: { at_steps: [2, 2] }", "strictly ascending")]
    [InlineData("evaluation: { at_steps: [0, 2] }", "must be positive")]
    [InlineData("evaluation: { at_steps: [2, 5] }", "arm 'joint' trains only 4 steps")]
    [InlineData("evaluation: { data: nowhere }", "evaluation.data: the folder")]
    [InlineData("evaluation: { sampler: euler }", "evaluation.sampler must be one of")]
    [InlineData("evaluation: { fd_images: 1 }", "fd-images must be at least 2")]
    [InlineData("evaluation: { loss_window: 0 }", "evaluation.loss_window must be at least 1")]
    [InlineData("evaluation: { guidence: 3 }", "guidence")] // an unknown field
    public void An_invalid_field_is_refused_with_its_name(string override_, string expected)
    {
        using var temp = new TempFolder();
        var spec = TinyExperiment.Write(temp.Path);
        Override(spec, override_, temp.Path);

        var stderr = new StringWriter();
        int code = ExperimentCommand.Run(spec, temp.File("out"), null, TextWriter.Null, stderr, CancellationToken.None, new PixelFeatureExtractor());

        Assert.Equal(ExperimentCommand.Refused, code);
        Assert.Contains(expected, stderr.ToString());
        Assert.False(Directory.Exists(temp.File("out")), "nothing is written for a refused spec");
    }

    [Fact]
    public void An_arm_that_is_not_text_conditioned_is_refused()
    {
        using var temp = new TempFolder();
        var spec = TinyExperiment.Write(temp.Path);
        File.WriteAllText(temp.File("joint.yaml"), File.ReadAllText(temp.File("joint.yaml")).Replace("kind: minilm, dropout: 0.25", "kind: none"));

        var e = Assert.Throws<ExperimentSpecException>(() => ExperimentPlan.Load(spec));

        Assert.Contains("arms[0] (joint): the evaluation needs a text-conditioned model", e.Message);
    }

    [Fact]
    public void A_results_file_of_something_else_is_refused_and_a_cut_last_row_is_dropped()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("other.csv"), "a,b\n1,2\n");
        Assert.Throws<ExperimentSpecException>(() => ExperimentResults.Open(temp.File("other.csv")));

        var results = ExperimentResults.Open(temp.File("results.csv"));
        var row = new ExperimentResult("flat", 1, 500, 0, 64, 16000, 1.25e14, 600.5, 0.125, 0.01, 0.05, 0.1, 0.2, 512.25, 60.5, 240);
        var low = new ExperimentResult("mdm", 2, 500, 0, 16, 16000, 3e13, 100, null, null, null, null, null, null, null, null);
        results.Append(row);
        results.Append(low);
        File.AppendAllText(temp.File("results.csv"), "flat,1,1000,0,64,32"); // a crash in the middle of a row

        var reopened = ExperimentResults.Open(temp.File("results.csv"));

        Assert.Equal(new[] { row, low }, reopened.Rows);
        Assert.EndsWith("\n", File.ReadAllText(temp.File("results.csv")));
        Assert.Equal(3, File.ReadAllLines(temp.File("results.csv")).Length);
    }

    [Fact]
    public async Task An_append_waits_while_another_process_is_writing_a_row()
    {
        using var temp = new TempFolder();
        var path = temp.File("results.csv");
        var results = ExperimentResults.Open(path);
        var first = new ExperimentResult("flat", 1, 500, 0, 64, 16000, 1.25e14, 600.5, 0.125, 0.01, 0.05, 0.1, 0.2, 512.25, 60.5, 240);
        var second = first with { Seed = 2 };
        var line = ExperimentResults.Format(first) + "\n";
        Task append;
        // Another process (here: another handle, which flock treats the same way) half-way through writing its row.
        using (var other = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.None))
        {
            other.Write(System.Text.Encoding.UTF8.GetBytes(line[..10]));
            other.Flush();
            append = Task.Run(() => results.Append(second));
            await Task.Delay(300);
            Assert.False(append.IsCompleted, "the append did not wait for the lock");
            other.Write(System.Text.Encoding.UTF8.GetBytes(line[10..]));
        }
        await append;

        Assert.Equal(new[] { first, second }, ExperimentResults.Read(path));
    }

    [Fact]
    public void The_final_level_loss_averages_the_last_logged_steps_once_each()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("loss.csv"), """
            step,stage,stage_step,loss,loss_level0,loss_level1,learning_rate,grad_norm,skipped
            1,0,1,0.5,,0.5,1E-06,1,0
            2,1,1,0.9,0.4,0.5,1E-06,1,0
            3,1,2,0.9,0.3,0.6,1E-06,1,0
            3,1,2,0.9,0.2,0.7,1E-06,1,0
            4,1,3,0.9,9.0,0.7,1E-06,1,1
            5,1,4,0.9,0.1,0.7,1E-06,1,0
            """);

        // Steps 2-4 of a window of 3 ending at 4: step 3 counts once (its later row), step 4 was skipped.
        Assert.Equal((0.4 + 0.2) / 2, ExperimentRunner.FinalLevelLoss(temp.File("loss.csv"), 4, 3)!.Value, 12);
        Assert.Null(ExperimentRunner.FinalLevelLoss(temp.File("loss.csv"), 1, 1)); // the 16² stage has no level 0
        Assert.Null(ExperimentRunner.FinalLevelLoss(temp.File("none.csv"), 4, 3));
    }

    // Replaces the top-level section named in the override (YAML flow mappings merge into the evaluation section).
    private static void Override(string spec, string override_, string folder)
    {
        var lines = File.ReadAllLines(spec).ToList();
        string key = override_[..override_.IndexOf(':')];
        if (key == "evaluation")
        {
            var fields = override_["evaluation: {".Length..^1].Trim();
            var (name, value) = (fields[..fields.IndexOf(':')].Trim(), fields[(fields.IndexOf(':') + 1)..].Trim());
            int at = lines.FindIndex(l => l.TrimStart().StartsWith(name + ":", StringComparison.Ordinal));
            if (at >= 0) lines[at] = $"  {name}: {value}";
            else lines.Insert(lines.IndexOf("evaluation:") + 1, $"  {name}: {value}");
        }
        else
        {
            int start = lines.FindIndex(l => l.StartsWith(key + ":", StringComparison.Ordinal));
            int end = start + 1;
            while (end < lines.Count && lines[end].StartsWith(' ')) end++;
            lines.RemoveRange(start, end - start);
            lines.Insert(start, override_);
        }
        File.WriteAllLines(spec, lines);
    }
}
