using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;
using Matryoshka.IO.Configuration;
using Matryoshka.Interop.MlMdm;

namespace Matryoshka.Tests.IO.Configuration;

/// <summary>YAML → JSON with PyYAML <c>safe_load</c> semantics, and the bounds that keep hostile YAML cheap.</summary>
public class YamlConfigReaderTests
{
    private static JsonObject Read(string yaml) => YamlConfigReader.Read(yaml, "test.yaml");

    private static ModelConfigurationException Refused(string yaml) =>
        Assert.Throws<ModelConfigurationException>(() => Read(yaml));

    // Expected values as JSON text; PyYAML's result for each plain scalar in parentheses where it is not obvious.
    [Theory]
    [InlineData("true", "true")]
    [InlineData("True", "true")]
    [InlineData("TRUE", "true")]
    [InlineData("false", "false")]
    [InlineData("False", "false")]
    [InlineData("yes", "true")]
    [InlineData("No", "false")]
    [InlineData("on", "true")]
    [InlineData("OFF", "false")]
    [InlineData("tRue", "\"tRue\"")]
    [InlineData("y", "\"y\"")]
    [InlineData("0", "0")]
    [InlineData("42", "42")]
    [InlineData("-1", "-1")]
    [InlineData("+5", "5")]
    [InlineData("1_000", "1000")]
    [InlineData("0x1F", "31")]
    [InlineData("0b101", "5")]
    [InlineData("017", "15")] // YAML 1.1 octal
    [InlineData("09", "\"09\"")] // not octal, not decimal: a string
    [InlineData("1:30", "90")] // base 60
    [InlineData("12345678901234567890123", "12345678901234567890123")]
    [InlineData("1.0", "1.0")]
    [InlineData("0.0", "0.0")]
    [InlineData("5.0e-05", "5E-05")]
    [InlineData("1.", "1.0")]
    [InlineData(".5", "0.5")]
    [InlineData("-2.5", "-2.5")]
    [InlineData("1.0e+5", "100000.0")]
    [InlineData("1e5", "\"1e5\"")] // PyYAML floats need a dot
    [InlineData("1.0e5", "\"1.0e5\"")] // … and a signed exponent
    [InlineData("1:30.5", "90.5")]
    [InlineData(".inf", "\".inf\"")] // JSON has no infinity: kept as text
    [InlineData("null", "null")]
    [InlineData("Null", "null")]
    [InlineData("~", "null")]
    [InlineData("", "null")]
    [InlineData("None", "\"None\"")]
    [InlineData("nil", "\"nil\"")]
    [InlineData("scale:64", "\"scale:64\"")]
    [InlineData("'true'", "\"true\"")]
    [InlineData("\"1\"", "\"1\"")]
    [InlineData("'None'", "\"None\"")]
    [InlineData("\"\"", "\"\"")]
    [InlineData("!!str 5", "\"5\"")]
    [InlineData("!!int '7'", "7")]
    [InlineData("!!float 1", "1.0")]
    [InlineData("!!bool 'yes'", "true")]
    [InlineData("!!null ''", "null")]
    [InlineData("! 12", "\"12\"")]
    [InlineData("2001-12-14", "\"2001-12-14\"")] // a date in PyYAML; JSON has none
    public void Scalars_are_typed_as_pyyaml_safe_loader_types_them(string scalar, string expectedJson)
    {
        var root = Read($"value: {scalar}\n");

        Assert.True(root.ContainsKey("value"));
        Assert.Equal(expectedJson, root["value"]?.ToJsonString() ?? "null");
    }

    [Fact]
    public void Numbers_behave_like_numbers_read_from_json()
    {
        var root = Read("i: 1024\nf: 5.0e-05\nb: 0x10\n");

        Assert.Equal(JsonValueKind.Number, root["i"]!.GetValueKind());
        Assert.Equal(1024, root["i"]!.GetValue<int>());
        Assert.Equal(5.0e-05, root["f"]!.GetValue<double>());
        Assert.Equal(16L, root["b"]!.GetValue<long>());
    }

    [Fact]
    public void A_repeated_key_takes_its_last_value_in_its_first_place()
    {
        var root = Read("a: 1\nb: {x: 1, y: 2}\na: 3\nb: {z: 3}\na: 4\n");

        Assert.Equal(new[] { "a", "b" }, root.Select(p => p.Key));
        Assert.Equal(4, root["a"]!.GetValue<int>());
        Assert.Equal("{\"z\":3}", root["b"]!.ToJsonString());
    }

    [Fact]
    public void A_repeated_key_is_reported_with_its_path_and_both_lines()
    {
        var warnings = new List<string>();
        var root = YamlConfigReader.Read("a: 1\nunet:\n  c: 2\n  c: 5\na: 3\n", "test.yaml", warn: warnings.Add);

        Assert.Equal(3, root["a"]!.GetValue<int>());
        Assert.Equal(5, root["unet"]!["c"]!.GetValue<int>());
        Assert.Equal(
            ["test.yaml: line 4: key 'unet.c' repeats line 3; the last value is used, as PyYAML does",
             "test.yaml: line 5: key 'a' repeats line 1; the last value is used, as PyYAML does"],
            warnings);
    }

    [Fact]
    public void Sequences_become_arrays_and_mappings_objects_in_block_and_flow_style()
    {
        var root = Read("""
            list: [1, 2, three]
            block:
              - a
              - {k: v}
              - [x, 'y']
            nested:
              inner:
                deep: true
            empty_list: []
            empty_map: {}
            """);

        Assert.Equal("[1,2,\"three\"]", root["list"]!.ToJsonString());
        Assert.Equal("[\"a\",{\"k\":\"v\"},[\"x\",\"y\"]]", root["block"]!.ToJsonString());
        Assert.Equal("{\"inner\":{\"deep\":true}}", root["nested"]!.ToJsonString());
        Assert.Equal("[]", root["empty_list"]!.ToJsonString());
        Assert.Equal("{}", root["empty_map"]!.ToJsonString());
    }

    [Fact]
    public void Block_scalars_are_strings()
    {
        var root = Read("literal: |\n  line 1\n  true\nfolded: >\n  42\n");

        Assert.Equal("line 1\ntrue\n", root["literal"]!.GetValue<string>());
        Assert.Equal("42\n", root["folded"]!.GetValue<string>());
    }

    [Fact]
    public void Aliases_copy_the_anchored_node()
    {
        var root = Read("base: &b {channels: [32, 64], ffn: yes}\ncopy: *b\nscalar: &s 7\nagain: *s\n");

        Assert.Equal(root["base"]!.ToJsonString(), root["copy"]!.ToJsonString());
        Assert.Equal(7, root["again"]!.GetValue<int>());
        // Copies are independent nodes.
        root["copy"]!["ffn"] = false;
        Assert.True(root["base"]!["ffn"]!.GetValue<bool>());
    }

    [Fact]
    public void Merge_keys_fill_in_keys_the_mapping_does_not_set()
    {
        var root = Read("""
            defaults: &d {a: 1, b: 2}
            more: &m {b: 20, c: 30}
            one:
              b: 5
              <<: *d
            many:
              <<: [*d, *m]
              c: 300
            """);

        Assert.Equal("{\"a\":1,\"b\":5}", root["one"]!.ToJsonString());
        // Earlier mappings in the merge list win over later ones; the mapping's own keys win over all.
        Assert.Equal("{\"b\":2,\"c\":300,\"a\":1}", root["many"]!.ToJsonString());
        Assert.Equal("{\"a\":1,\"b\":2}", root["defaults"]!.ToJsonString());
    }

    [Fact]
    public void A_quoted_merge_key_is_an_ordinary_key()
    {
        var root = Read("d: &d {a: 1}\nm:\n  '<<': *d\n  !!merge <<: *d\n");

        var merged = root["m"]!.AsObject();
        Assert.Equal(new[] { "a", "<<" }, merged.Select(p => p.Key));
        Assert.Equal("{\"a\":1}", merged["<<"]!.ToJsonString());
    }

    [Fact]
    public void A_billion_laughs_document_is_refused_quickly()
    {
        var yaml = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (char c = 'b'; c <= 'j'; c++)
        {
            char p = (char)(c - 1);
            yaml.Append($"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n");
        }
        var watch = Stopwatch.StartNew();

        var error = Refused(yaml.ToString());

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.Equal("test.yaml", error.Field);
        Assert.Contains("more than 100,000 values (aliases included)", error.Problem);
        Assert.Matches(@"^line \d+, column \d+: ", error.Problem);
    }

    [Fact]
    public void A_document_that_multiplies_through_merge_keys_is_refused_quickly()
    {
        var yaml = new StringBuilder("l0: &l0 {a: 1, b: 2, c: [1, 2, 3]}\n");
        for (int level = 1; level <= 30; level++)
            yaml.Append($"l{level}: &l{level} {{<<: [*l{level - 1}, *l{level - 1}], own{level}: [*l{level - 1}, *l{level - 1}]}}\n");
        var watch = Stopwatch.StartNew();

        var error = Refused(yaml.ToString());

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.Contains("more than 100,000 values (aliases included)", error.Problem);
    }

    [Fact]
    public void Deep_nesting_is_refused()
    {
        var error = Refused("a: " + new string('[', 100) + new string(']', 100) + "\n");

        Assert.Contains("nesting deeper than 64 levels", error.Problem);
    }

    [Fact]
    public void A_megabyte_of_open_brackets_is_refused_quickly()
    {
        var watch = Stopwatch.StartNew();

        var error = Refused(new string('[', 1 << 20));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.Contains("nesting deeper than 64 levels", error.Problem);
    }

    [Fact]
    public void Text_over_the_size_limit_is_refused_before_parsing()
    {
        var error = Refused("a: " + new string('x', 1 << 20));

        Assert.Contains("at most 1,048,576", error.Problem);
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_naming_it()
    {
        using var folder = new TempFolder();
        var path = folder.Write("big.yaml", Encoding.UTF8.GetBytes("a: " + new string('x', 2 << 20)));

        var error = Assert.Throws<ModelConfigurationException>(() => MlMdmModelConfig.FromYamlFile(path));

        Assert.Equal(path, error.Field);
        Assert.Contains("bytes; a model config may have at most 1,048,576", error.Problem);
    }

    [Fact]
    public void A_file_that_is_not_utf8_is_refused()
    {
        using var folder = new TempFolder();
        var path = folder.Write("latin1.yaml", [(byte)'a', (byte)':', (byte)' ', 0xE9, 0xFF, (byte)'\n']);

        var error = Assert.Throws<ModelConfigurationException>(() => MlMdmModelConfig.FromYamlFile(path));

        Assert.Equal(path, error.Field);
        Assert.Contains("not valid UTF-8", error.Problem);
    }

    [Fact]
    public void A_syntax_error_names_the_file_and_line()
    {
        using var folder = new TempFolder();
        var path = folder.Write("broken.yaml", Encoding.UTF8.GetBytes("model: unet\nunet_config:\n  a: 1\n b: [1, 2\n"));

        var error = Assert.Throws<ModelConfigurationException>(() => MlMdmModelConfig.FromYamlFile(path));

        Assert.Equal(path, error.Field);
        Assert.Matches(@"^line 4, column \d+: YAML syntax error: \S", error.Problem);
        Assert.DoesNotContain("(Line:", error.Problem);
    }

    [Fact]
    public void An_unclosed_flow_sequence_names_its_line()
    {
        var error = Refused("a: 1\nb: [1, 2\nc: 3\n");

        Assert.Matches(@"^line [234], column \d+: YAML syntax error", error.Problem);
    }

    [Theory]
    [InlineData("- 1\n- 2\n", "got a sequence")]
    [InlineData("just text\n", "got a single value")]
    [InlineData("~\n", "got null")]
    public void A_root_that_is_not_a_mapping_is_refused(string yaml, string fragment)
    {
        var error = Refused(yaml);

        Assert.Contains("the top level must be a mapping of config fields", error.Problem);
        Assert.Contains(fragment, error.Problem);
        Assert.StartsWith("line 1, column 1: ", error.Problem);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("# only a comment\n", "is empty")]
    [InlineData("a: 1\n---\nb: 2\n", "more than one YAML document")]
    [InlineData("a: *nowhere\n", "the alias *nowhere has no anchor &nowhere before it")]
    [InlineData("a: &x 1\nb: &x 2\n", "the anchor &x is defined twice")]
    [InlineData("a: &x [1, *x]\n", "the alias *x refers to a node that contains it")]
    [InlineData("a: !!python/object:os.system ls\n", "the tag tag:yaml.org,2002:python/object:os.system is not allowed")]
    [InlineData("a: !custom 1\n", "the tag !custom is not allowed")]
    [InlineData("a: !!set {x: 1}\n", "the tag tag:yaml.org,2002:set is not allowed")]
    [InlineData("a: !!int 1.5\n", "a: '1.5' is not a YAML integer")]
    [InlineData("a: !!bool maybe\n", "a: 'maybe' is not a YAML boolean")]
    [InlineData("? [1, 2]\n: v\n", "a mapping key must be a single value, not a sequence")]
    [InlineData("a:\n  <<: 5\n", "a: '<<' needs a mapping or a list of mappings to merge")]
    [InlineData("a: 1\nb: \u001b[31mred\n", "line 2, column 4: the character U+001B is not allowed in YAML")]
    public void Documents_that_safe_load_refuses_or_json_cannot_hold_are_refused(string yaml, string fragment)
    {
        var error = Refused(yaml);

        Assert.Equal("test.yaml", error.Field);
        Assert.Contains(fragment, error.Problem);
    }

    [Fact]
    public void A_lone_surrogate_is_refused()
    {
        // Not an InlineData: test discovery would replace the lone surrogate with U+FFFD.
        var error = Refused("a: 1\nb: x\ud800\n");

        Assert.Equal("line 2, column 5: the character U+D800 is not allowed in YAML", error.Problem);
    }

    [Fact]
    public void The_string_None_is_read_as_absent_by_optional_fields()
    {
        var config = MlMdmModelConfig.FromYaml("""
            sample_image_size: 16
            unet_config:
              resolution_channels: [32]
              num_resnets_per_resolution: [1]
              attention_levels: []
              micro_conditioning: None
            """);

        Assert.Null(config.UNet.MicroConditioning);
    }

    [Fact]
    public void An_unknown_unet_field_is_refused_naming_its_path()
    {
        var error = Assert.Throws<ModelConfigurationException>(() => MlMdmModelConfig.FromYaml("""
            sample_image_size: 32
            unet_config:
              resolution_channels: [32, 64]
              inner_config:
                resolution_channels: [32]
                resnet_config:
                  num_groups_norm: 32
                  use_attention_fnn: true
            """));

        Assert.Equal("unet_config.inner_config.resnet_config.use_attention_fnn", error.Field);
        Assert.Contains("not an ml-mdm ResNetConfig field", error.Problem);
    }
}
