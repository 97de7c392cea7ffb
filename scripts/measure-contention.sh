#!/usr/bin/env bash
# Measures how a busy machine slows Matryoshka down (issue 27, docs/performance.md "Under contention"): one emoji-64
# generation (20 DPM-Solver++ steps, guidance 5: the README's main job) and emoji-64 training steps (64² around 16²,
# batch 8, from the shipped weights), each with 0, 1 and 2 competing CPU-bound processes (shell busy loops).
#   bash scripts/measure-contention.sh <Matryoshka.Cli.dll> [label] [extra environment, e.g. OMP_NUM_THREADS=1]
# Prints one line per case: label, busy processes, sampling seconds (the generation's last step), generation wall
# seconds (process start to exit), training seconds per step (mean of steps 3-8 from the step lines' clock).
# Needs data/emoji (scripts/prepare-emoji.sh). Stop other work first: anything else running is more contention.
set -euo pipefail
cli=$1; label=${2:-run}; shift 2 || true
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ -f "$repo/data/emoji/index.tsv" ]] || { echo "data/emoji missing: run scripts/prepare-emoji.sh" >&2; exit 2; }
work="$(mktemp -d)"; trap 'kill ${busy_pids[*]:-} 2>/dev/null || true; rm -rf "$work"' EXIT
cat > "$work/train.yaml" <<YAML
model: $repo/models/emoji-64/model.yaml
init_weights: $repo/models/emoji-64/ema.safetensors
text_embedding_dim: 384
seed: 1
data: { kind: image-folder, path: $repo/data/emoji, pixels: standard, batch_size: 8, prefetch: 2 }
conditioning: { kind: minilm, dropout: 0.1, max_tokens: 32 }
schedule: { kind: squaredcos_cap_v2, train_steps: 1000 }
optimizer: { learning_rate: 0.0001, warmup_steps: 0, max_gradient_norm: 2.0 }
ema: { decay: 0.999 }
loss: { prediction: v_prediction, target: epsilon, level_weights: "1:1" }
checkpoint: { every: 1000, keep: 1 }
stages: [ { levels: 2, steps: 1000, shift_power: 1 } ]
YAML
for busy in 0 1 2; do
  busy_pids=()
  for _ in $(seq 1 "$busy"); do (while :; do :; done) & busy_pids+=($!); done
  sleep 1
  start=$(date +%s.%N)
  sampling=$(env "$@" dotnet "$cli" generate "a red apple" --seed 1 --out "$work/apple.png" | grep -oP 'step 20/20 \(\K[0-9.]+' || echo NaN)
  wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')
  rm -rf "$work/run"
  # Per-step seconds from the log's wall clock: time of step 8 minus step 2, over 6 steps.
  env "$@" dotnet "$cli" train --config "$work/train.yaml" --out "$work/run" --max-steps 8 --plain 2>/dev/null \
    | while IFS= read -r line; do [[ $line == step* ]] && echo "$(date +%s.%N) $line"; done > "$work/steps.txt" || true
  step=$(awk '$3 ~ /^2\// {t2=$1} $3 ~ /^8\// {t8=$1} END {if (t2 && t8) printf "%.2f", (t8 - t2) / 6; else print "NaN"}' "$work/steps.txt")
  kill "${busy_pids[@]}" 2>/dev/null || true; wait "${busy_pids[@]}" 2>/dev/null || true
  printf '%s\tbusy %d\tsampling %s s\tgeneration wall %.1f s\ttraining %s s/step\n' "$label" "$busy" "$sampling" "$wall" "$step"
done
