using static TorchSharp.torch;

namespace Matryoshka;

/// <summary>Device names as users write them (<c>cpu</c>, <c>cuda</c>, <c>cuda:1</c>), checked once.</summary>
public static class Devices
{
    /// <summary>The device named <paramref name="name"/>.</summary>
    /// <exception cref="MatryoshkaException">The name is not a device name.</exception>
    public static Device Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        try
        {
            return new Device(name.Trim().ToLowerInvariant());
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new MatryoshkaException($"'{name}' is not a device name (cpu, cuda, cuda:N): {e.Message}", e);
        }
    }
}
