namespace Matryoshka.Training.Plotting;

/// <summary>One curve of a <see cref="LineChart"/>: a line through <paramref name="Line"/> and a small square at each of <paramref name="Points"/>.</summary>
/// <param name="Name">Its legend entry.</param>
/// <param name="Colour">Its colour (#rrggbb).</param>
/// <param name="Line">The points the line goes through (drawn in order of x).</param>
/// <param name="Points">The points marked with a square.</param>
internal sealed record ChartSeries(string Name, string Colour, IReadOnlyList<(double X, double Y)> Line, IReadOnlyList<(double X, double Y)> Points);
