using Matryoshka.ImageSharp;
using Matryoshka.Models.Emoji64;
using Matryoshka.Pipelines;

string prompt = args.Length > 0 ? args[0] : "a red apple";
string output = args.Length > 1 ? args[1] : "apple.png";

using var pipeline = await Emoji64Model.LoadPipelineAsync();
using var result = await pipeline.GenerateAsync(new GenerationRequest(prompt) { Seed = 1 });
result.SaveAsPng(output);
Console.WriteLine($"wrote {output} ({result.Images.shape[3]}×{result.Images.shape[2]}, seed {result.Seed}, {result.Elapsed.TotalSeconds:F1} s)");
