namespace Matryoshka;

/// <summary>
/// Base type of every error Matryoshka raises for bad input (files, configs, arguments). Catch it to
/// handle all of them; catch a derived type to handle one kind.
/// </summary>
public class MatryoshkaException : Exception
{
    /// <summary>Creates an exception with a message that names the problem.</summary>
    public MatryoshkaException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and the underlying cause.</summary>
    public MatryoshkaException(string message, Exception innerException) : base(message, innerException) { }
}
