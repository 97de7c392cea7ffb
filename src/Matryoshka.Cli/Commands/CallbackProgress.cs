namespace Matryoshka.Cli.Commands;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls back at once on the reporting thread (<see cref="Progress{T}"/> would post
/// to the thread pool, so lines could print out of order or after the command's last line).
/// </summary>
internal sealed class CallbackProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
