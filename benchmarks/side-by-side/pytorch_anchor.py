#!/usr/bin/env python3
"""PyTorch half of the side-by-side comparison (see README.md next to this file).

Builds ml-mdm's 64x64 model and its 256x256 nested stage at a quarter of the released width with ml-mdm's own
UNet / NestedUNet classes, imported from a checkout the user points at, and times the same forward and AdamW
training step as SideBySideBenchmarks.cs at batch 4 and 8, float32, on the CPU.

GFLOP/s divide the FLOPs counted by the .NET side (anchor-flops.json, written by
`dotnet run -c Release --project benchmarks/Matryoshka.Benchmarks -- side-by-side-info --json FILE`), so both
sides use one count; the script checks that the parameter counts in that file equal the ones built here.
"""

import argparse
import functools
import json
import os
import statistics
import sys
import time

TEXT_LENGTH = 16
TEXT_DIM = 256
WIDTH_DIVISOR = 4
# AdamW exactly as SideBySideBenchmarks.cs configures TorchSharp's.
ADAMW = dict(lr=1e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)
PEAK_SIZE = 2048
PEAK_PRODUCTS = 20
PEAK_SECONDS = 3.0
HERE = os.path.dirname(os.path.abspath(__file__))


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ml-mdm", help="ml-mdm checkout: its root or the folder holding ml_mdm/ (default: already importable)")
    p.add_argument("--threads", type=int, help="torch.set_num_threads (default: PyTorch's choice)")
    p.add_argument("--iterations", type=int, default=10, help="timed iterations per case (default 10, as the .NET side)")
    p.add_argument("--warmup", type=int, default=2, help="untimed iterations first (default 2, as the .NET side)")
    p.add_argument("--batches", default="4,8", help="comma-separated batch sizes (default 4,8)")
    p.add_argument("--models", default="anchor64/4,anchor256/4", help="comma-separated (default both)")
    p.add_argument("--benchmarks", default="Forward,TrainStep", help="comma-separated (default both)")
    p.add_argument("--flops", default=os.path.join(HERE, "anchor-flops.json"), help="counts from the .NET side (default: the committed anchor-flops.json)")
    p.add_argument("--json", help="also write the results to this file")
    return p.parse_args()


def import_ml_mdm(path):
    if path:
        nested = os.path.join(path, "ml-mdm-matryoshka")  # the code moved into this folder in 2025
        sys.path.insert(0, nested if os.path.isdir(os.path.join(nested, "ml_mdm")) else path)
    try:
        from ml_mdm.models.unet import ResNetConfig, UNet, UNetConfig
        from ml_mdm.models.nested_unet import NestedUNet, NestedUNetConfig
    except ImportError as e:
        raise SystemExit(f"cannot import ml-mdm's model classes ({e}); pass --ml-mdm, install its dependencies, "
                         "or see README.md for stand-ins of the ones the models never use")
    return ResNetConfig, UNet, UNetConfig, NestedUNet, NestedUNetConfig


def build(name, ml):
    """ml-mdm's cc12m_64x64 / cc12m_256x256 unet_config, every width divided by 4, text 256 wide."""
    ResNetConfig, UNet, UNetConfig, NestedUNet, NestedUNetConfig = ml
    d = WIDTH_DIVISOR

    def core(nesting):
        return UNetConfig(
            num_resnets_per_resolution="2,2,2", attention_levels="1,2", num_attention_layers="0,1,5",
            conditioning_feature_dim=TEXT_DIM, conditioning_feature_proj_dim=2048 // d, num_lm_head_layers=0,
            masked_cross_attention=0, resolution_channels=f"{256 // d},{512 // d},{768 // d}", temporal_dim=1024 // d,
            skip_mid_blocks=False, skip_cond_emb=False, nesting=nesting, micro_conditioning="scale:64",
            resnet_config=ResNetConfig(num_groups_norm=32, dropout=0.0, use_attention_ffn=True))

    if name == "anchor64/4":
        return UNet(3, 3, core(nesting=False))
    if name == "anchor256/4":
        channels = [64 // d, 128 // d, 256 // d]
        outer = NestedUNetConfig(
            num_resnets_per_resolution="2,2,1", attention_levels="", num_attention_layers="0,0,0",
            conditioning_feature_dim=TEXT_DIM, conditioning_feature_proj_dim=-1, masked_cross_attention=1,
            resolution_channels=",".join(map(str, channels)), temporal_dim=1024 // d, skip_mid_blocks=True,
            skip_cond_emb=True, nesting=False, micro_conditioning="scale:256", skip_normalization=True,
            # Narrowed, the outer stage's group norms can have at most as many groups as its narrowest level has
            # channels; the .NET side (MlMdmArchitectures) makes the same choice.
            resnet_config=ResNetConfig(num_groups_norm=min(32, min(channels)), dropout=0.0, use_attention_ffn=False),
            inner_config=core(nesting=True))
        return NestedUNet(3, 3, outer)
    raise SystemExit(f"unknown model {name}")


def resolutions(name):
    return [64] if name == "anchor64/4" else [256, 64]


def machine_peak(torch):
    """Best 2048x2048 float32 matmul rate in GFLOP/s, measured as MachinePeak.cs does (warm-up, best of <= 20, 3 s)."""
    g = torch.Generator().manual_seed(0)
    a = torch.randn(PEAK_SIZE, PEAK_SIZE, generator=g)
    b = torch.randn(PEAK_SIZE, PEAK_SIZE, generator=g)
    with torch.inference_mode():
        a.matmul(b)
        best, start = float("inf"), time.perf_counter()
        for i in range(PEAK_PRODUCTS):
            if i > 0 and time.perf_counter() - start > PEAK_SECONDS:
                break
            t = time.perf_counter()
            a.matmul(b)
            best = min(best, time.perf_counter() - t)
    return 2.0 * PEAK_SIZE ** 3 / best / 1e9


def make_case(torch, F, model, name, batch, benchmark):
    g = torch.Generator().manual_seed(0)
    inputs = [torch.randn(batch, 3, r, r, generator=g) for r in resolutions(name)]
    x_t = inputs[0] if len(inputs) == 1 else inputs
    # The .NET model takes integer steps; ml-mdm multiplies them into a float embedding either way.
    times = torch.randint(1, 1000, (batch,), generator=g).float()
    text = torch.randn(batch, TEXT_LENGTH, TEXT_DIM, generator=g)
    mask = torch.ones(batch, TEXT_LENGTH)

    if benchmark == "Forward":
        model.eval()

        def forward():
            with torch.inference_mode():
                model(x_t, times, text, mask)
        return forward

    model.train()
    targets = [torch.randn(batch, 3, r, r, generator=g) for r in resolutions(name)]
    optimizer = torch.optim.AdamW(model.parameters(), **ADAMW)

    def train_step():
        outputs = model(x_t, times, text, mask)
        outputs = outputs if isinstance(outputs, list) else [outputs]
        # Summed pairwise, as the .NET side's Aggregate does (sum() would add a 0 + tensor first).
        loss = functools.reduce(lambda a, b: a + b, (F.mse_loss(o, t) for o, t in zip(outputs, targets)))
        loss.backward()
        optimizer.step()
        # set_to_none=False zeroes the gradients in place, as TorchSharp's zero_grad does.
        optimizer.zero_grad(set_to_none=False)
        return loss.item()
    return train_step


def main():
    args = parse_args()
    import torch
    import torch.nn.functional as F
    if args.threads:
        torch.set_num_threads(args.threads)
    ml = import_ml_mdm(args.ml_mdm)
    with open(args.flops) as f:
        counts = json.load(f)
    if counts["text_length"] != TEXT_LENGTH or counts["text_embedding_dim"] != TEXT_DIM:
        raise SystemExit(f"{args.flops} counts another text shape than this script feeds")
    factor = counts["training_step_factor"]

    # The BLAS a build links decides the matmul (and so the peak) more than anything else: print it.
    blas = next((s.split("=", 1)[1] for s in torch.__config__.show().replace(",", " ").split() if s.startswith("BLAS_INFO=")), "?")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, BLAS {blas}, MKL {torch.backends.mkl.is_available()}, "
          f"oneDNN {torch.backends.mkldnn.is_available()}")
    peak = machine_peak(torch)
    print(f"peak: {peak:.0f} GFLOP/s float32 ({PEAK_SIZE}x{PEAK_SIZE} matmul in this process)")

    results, mismatch = [], False
    for name in args.models.split(","):
        torch.manual_seed(0)
        model = build(name, ml)
        parameters = sum(p.numel() for p in model.parameters())
        dotnet = counts["models"][name]["parameters"]
        same = parameters == dotnet
        mismatch |= not same
        print(f"{name}: {parameters:,} parameters here, {dotnet:,} on the .NET side: {'equal' if same else 'DIFFERENT'}")
        forward_flops = counts["models"][name]["forward_flops_per_image"]
        for benchmark in args.benchmarks.split(","):
            for batch in map(int, args.batches.split(",")):
                run = make_case(torch, F, model, name, batch, benchmark)
                for _ in range(args.warmup):
                    run()
                times = []
                for _ in range(args.iterations):
                    t = time.perf_counter()
                    run()
                    times.append(time.perf_counter() - t)
                median = statistics.median(times)
                flops = batch * forward_flops * (factor if benchmark == "TrainStep" else 1)
                gflops = flops / median / 1e9
                results.append(dict(model=name, benchmark=benchmark, batch=batch, median_ms=median * 1e3,
                                    min_ms=min(times) * 1e3, mean_ms=statistics.fmean(times) * 1e3,
                                    images_per_s=batch / median, gflops=gflops, of_peak=gflops / peak))
                r = results[-1]
                print(f"  {benchmark:9} batch {batch}: median {r['median_ms']:9.1f} ms, min {r['min_ms']:9.1f} ms, "
                      f"{r['images_per_s']:7.2f} images/s, {gflops:7.1f} GFLOP/s, {r['of_peak']:5.1%} of peak")
        del model

    if args.json:
        with open(args.json, "w") as f:
            json.dump(dict(torch=torch.__version__, threads=torch.get_num_threads(), peak_gflops=peak,
                           iterations=args.iterations, warmup=args.warmup, results=results), f, indent=2)
    return 1 if mismatch else 0


if __name__ == "__main__":
    sys.exit(main())
