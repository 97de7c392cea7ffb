namespace Matryoshka.Tests.IO.Checkpoints;

/// <summary>The ml-mdm .pth fixtures (tests/fixtures/mlmdm/checkpoint_pth, see its README).</summary>
public static class CheckpointFixtures
{
    public const int TensorCount = 239;
    public const long BatchNumber = 1234;

    public static string Zip => File("vis_model_001234.pth");

    public static string Legacy => File("vis_model_legacy.pth");

    public static string Expected => File("expected_state_dict.safetensors");

    public static string HostileZip => File("hostile_os_system.pth");

    public static string HostilePlainPickle => File("hostile_plain.pkl");

    public static string Config => File("config.json");

    public static string File(string name) => Fixtures.MlMdm("checkpoint_pth", name);
}
