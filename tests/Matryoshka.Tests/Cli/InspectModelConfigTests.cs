using System.Text;
using System.Text.Json;
using Matryoshka.Cli.Commands;
using Matryoshka.Interop.MlMdm;
using Xunit;

namespace Matryoshka.Tests.Cli;

/// <summary><c>matryoshka inspect</c> on ml-mdm model configs (YAML and config.json).</summary>
public class InspectModelConfigTests
{
    private static string Released(string name) => Fixtures.MlMdm("released", name + ".yaml");

    [Fact]
    public void Json_summary_of_the_256_model_has_ml_mdm_counts()
    {
        var (code, stdout, stderr) = Run(Released("cc12m_256x256"), new InspectOptions(TextDim: 2048, Json: true));

        Assert.Equal(0, code);
        // Apple's released config really repeats this key (PyYAML keeps the last value, and so do we).
        Assert.Equal($"warning: {Released("cc12m_256x256")}: line 96: key 'reader_config.random_crop' repeats line 84; the last value is used, as PyYAML does\n", stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(476_613_958, root.GetProperty("total_parameters").GetInt64());
        Assert.Equal(889, root.GetProperty("tensors").GetInt32());
        Assert.Equal(4L * 476_613_958, root.GetProperty("bytes_f32").GetInt64());
        Assert.Equal(2L * 476_613_958, root.GetProperty("bytes_bf16").GetInt64());
        Assert.Equal(2048, root.GetProperty("text_embedding_dim").GetInt32());
        var levels = root.GetProperty("levels").EnumerateArray().ToArray();
        Assert.Equal(2, levels.Length);
        Assert.Equal(new[] { 256, 64 }, levels.Select(l => l.GetProperty("resolution").GetInt32()));
        Assert.Equal(new[] { 15_254_851L, 461_359_107L }, levels.Select(l => l.GetProperty("parameters").GetInt64()));
        Assert.Equal(new[] { 64, 128, 256 }, levels[0].GetProperty("channels").EnumerateArray().Select(c => c.GetInt32()));
        Assert.Equal(new[] { 256, 512, 768 }, levels[1].GetProperty("channels").EnumerateArray().Select(c => c.GetInt32()));
        Assert.Equal(new[] { false, true }, levels.Select(l => l.GetProperty("has_cond_emb").GetBoolean()));
        Assert.Equal(new[] { false, true }, levels.Select(l => l.GetProperty("has_lm_proj").GetBoolean()));
        Assert.Equal(new[] { false, false }, levels.Select(l => l.GetProperty("input_normalized").GetBoolean()));
        Assert.Equal(new[] { 1024, 1024 }, levels.Select(l => l.GetProperty("temporal_dim").GetInt32()));
    }

    [Fact]
    public void Text_summary_of_the_1024_model_lists_levels_and_totals()
    {
        var (code, stdout, stderr) = Run(Released("cc12m_1024x1024"), new InspectOptions(TextDim: 2048));

        Assert.Equal(0, code);
        Assert.Equal($"warning: {Released("cc12m_1024x1024")}: line 116: key 'reader_config.max_caption_length' repeats line 115; the last value is used, as PyYAML does\n", stderr);
        Assert.Contains("3 levels (1024² → 256² → 64²)", stdout);
        Assert.Contains("text conditioning: width 2048", stdout);
        Assert.Matches(@"(?m)^0\s+1024²\s+32,32,64\s+2,2,1\s+-\s+1024\s+2048\s+no\s+no\s+no\s+4,356,099\s+174$", stdout);
        Assert.Matches(@"(?m)^1\s+256²\s+64,128,256\s+2,2,1\s+-\s+1024\s+2048\s+no\s+no\s+yes\s+15,254,851\s+176$", stdout);
        Assert.Matches(@"(?m)^2\s+64²\s+256,512,768\s+2,2,2\s+1:1 2:5\s+1024\s+2048\s+yes\s+yes\s+no\s+461,359,107\s+713$", stdout);
        Assert.Contains("total: 480,970,057 parameters in 1,063 state_dict tensors", stdout);
        Assert.Contains("1.79 GiB (1,923,880,228 bytes) as float32, 917.38 MiB (961,940,114 bytes) as bfloat16", stdout);
    }

    [Fact]
    public void Without_text_dim_the_released_config_is_reported_unconditioned()
    {
        var (code, stdout, _) = Run(Released("cc12m_64x64"), new InspectOptions());

        Assert.Equal(0, code);
        Assert.Contains("text conditioning: none", stdout);
        Assert.Contains("pass --text-dim N", stdout);
        Assert.DoesNotContain("461,359,107", stdout);
    }

    [Fact]
    public void A_video_level_is_described_by_its_frames_in_text_and_json()
    {
        string config = Fixtures.MlMdm("temporal_two_level", "config.json");

        var (code, stdout, _) = Run(config, new InspectOptions());
        var (jsonCode, json, _) = Run(config, new InspectOptions(Json: true));

        Assert.Equal((0, 0), (code, jsonCode));
        Assert.Contains("level 0 is video: a 2 × 2 grid of 4 frames of 16², frames per internal resolution 4 → 2 → 1, temporal attention blocks 1,1,0", stdout);
        var level = JsonDocument.Parse(json).RootElement.GetProperty("levels")[0];
        Assert.Equal((2, 16), (level.GetProperty("frame_grid").GetInt32(), level.GetProperty("frame_resolution").GetInt32()));
        Assert.False(JsonDocument.Parse(json).RootElement.GetProperty("levels")[1].GetProperty("temporal_mode").GetBoolean());
    }

    [Fact]
    public void Without_text_dim_the_json_says_so_with_a_null_width()
    {
        var (code, stdout, _) = Run(Released("cc12m_64x64"), new InspectOptions(Json: true));

        Assert.Equal(0, code);
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(stdout).RootElement.GetProperty("text_embedding_dim").ValueKind);
    }

    [Fact]
    public void A_fixture_config_json_uses_its_own_text_width()
    {
        var (code, stdout, stderr) = Run(Fixtures.MlMdm("two_level", "config.json"), new InspectOptions(Json: true));

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(1_520_422, root.GetProperty("total_parameters").GetInt64());
        Assert.Equal(267, root.GetProperty("tensors").GetInt32());
        Assert.Equal(48, root.GetProperty("text_embedding_dim").GetInt32());
    }

    [Fact]
    public void A_fixture_config_json_as_text()
    {
        var (code, stdout, _) = Run(Fixtures.MlMdm("two_level", "config.json"), new InspectOptions());

        Assert.Equal(0, code);
        Assert.Contains("total: 1,520,422 parameters in 267 state_dict tensors", stdout);
    }

    [Theory]
    [InlineData("bad.yaml", "sample_image_size: 64\nunet_config:\n  resolution_channels: [64]\n  attention_levels: []\n  temporal_dim: 100\n", "refused: unet_config.temporal_dim: is 100")]
    [InlineData("bad.yaml", "sample_image_size: 64\nunet_config:\n  resolution_channels: [64, 128]\n  num_resnets_per_resolution: [1, 1, 1]\n", "refused: unet_config.num_resnets_per_resolution: has 3 entries")]
    [InlineData("syntax.yaml", "unet_config:\n  a: [1,\n b: 2\n", "YAML syntax error")]
    [InlineData("list.yaml", "- 1\n", "the top level must be a mapping")]
    [InlineData("bad.json", "{\"level_resolutions\": [64], \"unet_config\": {\"resolution_channels\": [64], \"attention_levels\": [], \"skip_cond_emb\": true}}", "refused: unet_config.skip_cond_emb: the innermost level must own the text embedding")]
    [InlineData("huge.yaml", "sample_image_size: 64\nunet_config:\n  resolution_channels: [1000000000, 32]\n  attention_levels: []\n  temporal_dim: 256\n", "refused: unet_config.resolution_channels: the model's size does not fit in 64 bits")]
    public void A_broken_config_exits_with_2_naming_the_field(string name, string content, string fragment)
    {
        using var folder = new TempFolder();
        var path = folder.Write(name, Encoding.UTF8.GetBytes(content));

        var (code, stdout, stderr) = Run(path, new InspectOptions(TextDim: 2048));

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(fragment, stderr);
    }

    [Fact]
    public void A_non_positive_text_dim_is_refused()
    {
        var (code, _, stderr) = Run(Released("cc12m_64x64"), new InspectOptions(TextDim: 0));

        Assert.Equal(2, code);
        Assert.Contains("--text-dim must be positive", stderr);
    }

    [Fact]
    public void Config_options_are_refused_for_safetensors_files()
    {
        var (code, _, stderr) = Run(Fixtures.MlMdm("two_level", "forward.safetensors"), new InspectOptions(Json: true));

        Assert.Equal(2, code);
        Assert.Contains("apply to model configs", stderr);
    }

    [Fact]
    public void Command_line_options_reach_the_command()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var code = InspectCommand.Create().Parse([Released("cc12m_256x256"), "--text-dim", "2048", "--json"])
            .Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(0, code);
        Assert.Equal(476_613_958, JsonDocument.Parse(output.ToString()).RootElement.GetProperty("total_parameters").GetInt64());
    }

    [Fact]
    public void Text_summary_prints_forward_flops_per_level_and_a_training_step()
    {
        // FlopCounterTests.OneResolution as a YAML file; its counts are written out by hand there.
        using var folder = new TempFolder();
        var path = folder.Write("one.yaml", Encoding.UTF8.GetBytes(
            "sample_image_size: 8\nunet_config:\n  resolution_channels: [32]\n  num_resnets_per_resolution: [1]\n" +
            "  attention_levels: []\n  num_attention_layers: [0]\n  temporal_dim: 64\n  skip_mid_blocks: true\n"));

        var (code, stdout, stderr) = Run(path, new InspectOptions());

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Contains("forward FLOPs per level (batch 1, no text;", stdout);
        Assert.Matches(@"(?m)^level\s+resolution\s+convolutions\s+linear\s+attention\s+forward\s+share$", stdout);
        Assert.Matches(@"(?m)^0\s+8²\s+10,182,656\s+34,816\s+0\s+10,217,472\s+100\.0 %$", stdout);
        Assert.Contains("forward: 10,217,472 FLOPs (10.22 MFLOP) per image, all levels; " +
                        "training step ≈ 3 × forward = 30,652,416 FLOPs (30.65 MFLOP) per image", stdout);
    }

    [Fact]
    public void Json_flops_of_the_emoji_model_equal_a_hooked_forward_pass()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "samples", "configs", "emoji-64.model.yaml");
        var measured = Matryoshka.Tests.Models.MeasuredFlops.OfForwardPass(Matryoshka.Interop.MlMdm.ModelConfigFiles.Load(path, 384), 20);

        var (code, stdout, stderr) = Run(path, new InspectOptions(TextDim: 384, Json: true, TextLength: 20));

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        var flops = root.GetProperty("flops");
        Assert.Equal(20, flops.GetProperty("text_length").GetInt32());
        var levels = root.GetProperty("levels").EnumerateArray().Select(l => l.GetProperty("flops")).ToArray();
        Assert.Equal(measured.Length, levels.Length);
        for (int i = 0; i < levels.Length; i++)
        {
            Assert.Equal(measured[i].Convolutions, levels[i].GetProperty("convolutions").GetInt64());
            Assert.Equal(measured[i].Linear, levels[i].GetProperty("linear").GetInt64());
            Assert.Equal(measured[i].Attention, levels[i].GetProperty("attention").GetInt64());
            Assert.Equal(measured[i].Convolutions + measured[i].Linear + measured[i].Attention, levels[i].GetProperty("forward").GetInt64());
        }
        long forward = measured.Sum(l => l.Convolutions + l.Linear + l.Attention);
        Assert.Equal(forward, flops.GetProperty("forward").GetInt64());
        Assert.Equal(3 * forward, flops.GetProperty("training_step").GetInt64());
    }

    [Fact]
    public void Text_length_reaches_the_counts_and_must_be_positive()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "samples", "configs", "emoji-64.model.yaml");
        long Forward(int length) => JsonDocument.Parse(Run(path, new InspectOptions(TextDim: 384, Json: true, TextLength: length)).Stdout)
            .RootElement.GetProperty("flops").GetProperty("forward").GetInt64();

        Assert.True(Forward(64) > Forward(8));
        var (code, _, stderr) = Run(path, new InspectOptions(TextDim: 384, TextLength: 0));
        Assert.Equal(2, code);
        Assert.Contains("--text-length must be positive", stderr);

        var output = new StringWriter();
        var parsed = InspectCommand.Create().Parse([path, "--text-dim", "384", "--text-length", "8", "--json"])
            .Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = new StringWriter() });
        Assert.Equal(0, parsed);
        Assert.Equal(Forward(8), JsonDocument.Parse(output.ToString()).RootElement.GetProperty("flops").GetProperty("forward").GetInt64());
    }

    [Fact]
    public void With_a_flan_t5_xl_encoder_the_released_256_model_reports_both_memories()
    {
        var (code, stdout, stderr) = Run(Released("cc12m_256x256"), new InspectOptions(T5: "flan-t5-xl"));
        Assert.True(code == 0, stderr);
        Assert.Contains("text conditioning: width 2048", stdout);
        Assert.Contains("total: 476,613,958 parameters", stdout);
        // Encoder: 32,128·2048 embeddings + 24 × (4·2048·2048 + 3·2048·5120 + 2·2048) + 32·32 buckets + 2048 final norm.
        long encoder = 32_128L * 2048 + 24L * (4L * 2048 * 2048 + 3L * 2048 * 5120 + 2 * 2048) + 32 * 32 + 2048;
        Assert.Equal(1_223_527_424, encoder);
        Assert.Contains("1,223,527,424 parameters", stdout);
        Assert.Contains(FormattableString.Invariant($"({(encoder + 476_613_958L) * 4:N0} bytes) as float32"), stdout);
        Assert.Contains(FormattableString.Invariant($"({(encoder + 476_613_958L) * 2:N0} bytes) as bfloat16"), stdout);
        Assert.Equal(2, Run(Released("cc12m_256x256"), new InspectOptions(TextDim: 1024, T5: "flan-t5-xl")).Code);
        Assert.Equal(2, Run(Released("cc12m_256x256"), new InspectOptions(T5: "missing-config.json")).Code);
    }

    private static (int Code, string Stdout, string Stderr) Run(string path, InspectOptions options)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = InspectCommand.Run(path, options, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void A_model_larger_than_the_machine_is_described_with_a_warning()
    {
        using var folder = new TempFolder();
        var path = folder.Write("big.yaml", "sample_image_size: 64\nunet_config:\n  resolution_channels: [200000, 32]\n  attention_levels: []\n"u8.ToArray());

        var (code, stdout, _) = Run(path, new InspectOptions(TextDim: 2048));

        Assert.Equal(0, code);
        Assert.Contains("warning: even the bfloat16 weights exceed this machine's memory", stdout);
    }

    [Fact]
    public void A_repeated_yaml_key_is_inspected_with_a_warning_naming_it_and_both_lines()
    {
        using var folder = new TempFolder();
        var path = folder.Write("twice.yaml", "sample_image_size: 64\nunet_config:\n  resolution_channels: [64]\n  attention_levels: []\n  resolution_channels: [32]\n"u8.ToArray());

        var (code, stdout, stderr) = Run(path, new InspectOptions(TextDim: 2048));

        Assert.Equal(0, code);
        Assert.Contains($"warning: {path}: line 5: key 'unet_config.resolution_channels' repeats line 3; the last value is used, as PyYAML does", stderr);
        Assert.Contains("32", stdout);
    }
}
