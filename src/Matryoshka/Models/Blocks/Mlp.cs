using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Matryoshka.Models.Blocks;

/// <summary>ml-mdm's <c>MLP</c>: x + Linear(GELU(Linear(LayerNorm(x)))) with a 4× hidden width and a zero-initialised last layer.</summary>
internal sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Sequential main;

    public Mlp(Layers layers, int channels) : base(nameof(Mlp))
    {
        main = nn.Sequential(layers.LayerNorm(channels), layers.Linear(channels, 4L * channels), nn.GELU(), layers.Linear(4L * channels, channels, zero: true));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => x + main.call(x);
}
