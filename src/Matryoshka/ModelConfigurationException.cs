namespace Matryoshka;

/// <summary>A model configuration is invalid; the message names the field (with its path) and the value.</summary>
public sealed class ModelConfigurationException : MatryoshkaException
{
    /// <summary>Creates the exception for one field.</summary>
    /// <param name="field">The field's path, e.g. <c>unet_config.inner_config.resolution_channels</c>.</param>
    /// <param name="problem">What is wrong with its value.</param>
    public ModelConfigurationException(string field, string problem) : base($"{field}: {problem}")
    {
        Field = field;
        Problem = problem;
    }

    /// <summary>The path of the offending field (ml-mdm field names).</summary>
    public string Field { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
