using System.CommandLine;
using Matryoshka.Data.Emoji;

namespace Matryoshka.Cli.Commands;

/// <summary>
/// <c>matryoshka prepare-emoji-clips --data data/emoji --out data/emoji-clips</c>: text-to-video training clips from a
/// prepared emoji folder (<see cref="EmojiClipPreparation"/>). Exit codes as <c>prepare-emoji</c>'s.
/// </summary>
internal static class PrepareEmojiClipsCommand
{
    private static readonly Dictionary<string, string> Flags = new()
    {
        [nameof(EmojiClipOptions.SourceFolder)] = "--data", [nameof(EmojiClipOptions.OutputFolder)] = "--out",
        [nameof(EmojiClipOptions.FrameGrid)] = "--frame-grid", [nameof(EmojiClipOptions.FrameSize)] = "--frame-size", [nameof(EmojiClipOptions.Limit)] = "--limit",
    };

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "A prepared emoji folder (prepare-emoji's output).", Required = true };
        var output = new Option<string>("--out") { Description = "Folder to write (new or empty).", Required = true };
        var grid = new Option<int>("--frame-grid") { Description = "Frames per side of a clip's grid: S² frames per clip.", DefaultValueFactory = _ => 4 };
        var size = new Option<int>("--frame-size") { Description = "Side of a frame in pixels.", DefaultValueFactory = _ => 16 };
        var limit = new Option<int?>("--limit") { Description = "At most N emoji (the first in file-name order)." };
        var command = new Command("prepare-emoji-clips", "Make text-to-video training clips (each emoji sliding, shrinking and spinning) as grids of frames with captions.");
        foreach (var option in new Option[] { data, output, grid, size, limit }) command.Options.Add(option);
        command.SetAction((parse, cancellationToken) =>
        {
            var options = new EmojiClipOptions
            {
                SourceFolder = parse.GetValue(data)!, OutputFolder = parse.GetValue(output)!,
                FrameGrid = parse.GetValue(grid), FrameSize = parse.GetValue(size), Limit = parse.GetValue(limit),
            };
            var stdout = parse.InvocationConfiguration.Output;
            return PrepareEmojiCommand.GuardedAsync(() => Task.Run(() => EmojiClipPreparation.Prepare(options, null, cancellationToken), cancellationToken),
                Flags, options.OutputFolder, count => stdout.WriteLine($"wrote {count} clips of {options.FrameGrid * options.FrameGrid} frames ({options.FrameSize}² each) to {options.OutputFolder}"),
                parse.InvocationConfiguration.Error);
        });
        return command;
    }
}
