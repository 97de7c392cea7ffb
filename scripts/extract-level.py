#!/usr/bin/env python3
"""Writes the weights of one inner level of a Matryoshka model as a model of its own (standard library only).

   python3 scripts/extract-level.py models/emoji-64/ema.safetensors inner_unet. /work/runs/emoji-16.safetensors

keeps the tensors whose names start with the prefix, without it: models/emoji-64's 16x16 level becomes a standalone
16x16 text-to-image UNet, which a video model then grows from (samples/configs/emoji-video.yaml, init_weights)."""
import json, struct, sys

source, prefix, target = sys.argv[1:4]
with open(source, "rb") as f:
    (length,) = struct.unpack("<Q", f.read(8))
    header = json.loads(f.read(length))
    data = f.read()
kept, chunks, offset = {}, [], 0
for name, info in header.items():
    if name == "__metadata__" or not name.startswith(prefix):
        continue
    start, end = info["data_offsets"]
    chunks.append(data[start:end])
    kept[name[len(prefix):]] = {"dtype": info["dtype"], "shape": info["shape"], "data_offsets": [offset, offset + end - start]}
    offset += end - start
if not kept:
    sys.exit(f"no tensor of {source} starts with {prefix!r}")
encoded = json.dumps(kept, separators=(",", ":")).encode()
encoded += b" " * (-len(encoded) % 8)
with open(target, "wb") as f:
    f.write(struct.pack("<Q", len(encoded)) + encoded + b"".join(chunks))
print(f"wrote {len(kept)} tensors to {target}")
