namespace Matryoshka.AspNetCore;

/// <summary>
/// The events of <c>GET /v1/images/stream</c>, in order: <c>queued</c> (zero or more, while waiting), <c>started</c>,
/// <c>preview</c> (one per step), then <c>done</c> or <c>error</c>. Each event's data is one of these records as JSON.
/// </summary>
public static class StreamEvents
{
    /// <summary>Event type of <see cref="QueuedEvent"/>.</summary>
    public const string Queued = "queued";

    /// <summary>Event type of <see cref="StartedEvent"/>.</summary>
    public const string Started = "started";

    /// <summary>Event type of <see cref="PreviewEvent"/>.</summary>
    public const string Preview = "preview";

    /// <summary>Event type of <see cref="DoneEvent"/>.</summary>
    public const string Done = "done";

    /// <summary>Event type of <see cref="ErrorEvent"/>.</summary>
    public const string Error = "error";
}

/// <summary>Waiting for a slot.</summary>
/// <param name="Position">Place in the waiting line (1 is next).</param>
public sealed record QueuedEvent(int Position);

/// <summary>The sampler started.</summary>
/// <param name="Seed">The seed the image is drawn from.</param>
/// <param name="Steps">Steps it will take.</param>
/// <param name="Levels">Side of every nested level, high → low (e.g. 64, 16).</param>
public sealed record StartedEvent(ulong Seed, int Steps, IReadOnlyList<int> Levels);

/// <summary>A step was taken: the current estimate of the final image at every level.</summary>
/// <param name="Step">Steps done (1 … Total).</param>
/// <param name="Total">Steps in all.</param>
/// <param name="Levels">One PNG per level, high → low.</param>
public sealed record PreviewEvent(int Step, int Total, IReadOnlyList<LevelImage> Levels);

/// <summary>One level's image.</summary>
/// <param name="Size">Its side in pixels.</param>
/// <param name="Png">The PNG, base64.</param>
public sealed record LevelImage(int Size, string Png);

/// <summary>The final image.</summary>
/// <param name="Seed">The seed it was drawn from.</param>
/// <param name="Steps">Steps taken.</param>
/// <param name="Seconds">Time the sampler took.</param>
/// <param name="Png">The image (the highest level), PNG, base64.</param>
public sealed record DoneEvent(ulong Seed, int Steps, double Seconds, string Png);

/// <summary>The stream ends without an image.</summary>
/// <param name="Status">The HTTP status the problem would have had (e.g. 504 past the deadline, 400 refused by the model).</param>
/// <param name="Title">A short description.</param>
/// <param name="Detail">What happened.</param>
public sealed record ErrorEvent(int Status, string Title, string Detail);
