namespace Matryoshka.Training.Data;

/// <summary>A motion that <see cref="ClipMotions.Render"/> applies to a still image to make a training clip.</summary>
public enum ClipMotion
{
    /// <summary>Slides right by 3/8 of the frame over the clip.</summary>
    Right,

    /// <summary>Slides left by 3/8 of the frame over the clip.</summary>
    Left,

    /// <summary>Slides up by 3/8 of the frame over the clip.</summary>
    Up,

    /// <summary>Slides down by 3/8 of the frame over the clip.</summary>
    Down,

    /// <summary>Shrinks about the centre to half its size over the clip.</summary>
    Shrinking,

    /// <summary>Turns clockwise, one full turn over the clip.</summary>
    Spinning,
}
