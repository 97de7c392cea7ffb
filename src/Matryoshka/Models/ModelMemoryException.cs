namespace Matryoshka.Models;

/// <summary>
/// A model is too large for the memory it may use. Found from its config (on the meta device) before any weight is
/// allocated; the message names the config file, the parameter count and the sizes.
/// </summary>
public sealed class ModelMemoryException : MatryoshkaException
{
    /// <summary>Creates the exception for the model of <paramref name="configPath"/>.</summary>
    public ModelMemoryException(string configPath, string problem) : base($"{configPath}: {problem}")
    {
        ConfigPath = configPath;
        Problem = problem;
    }

    /// <summary>Creates the exception with the error that revealed the problem.</summary>
    public ModelMemoryException(string configPath, string problem, Exception innerException) : base($"{configPath}: {problem}", innerException)
    {
        ConfigPath = configPath;
        Problem = problem;
    }

    /// <summary>The model's config file.</summary>
    public string ConfigPath { get; }

    /// <summary>What is too large, without the file name.</summary>
    public string Problem { get; }
}
