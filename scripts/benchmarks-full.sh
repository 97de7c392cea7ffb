#!/usr/bin/env bash
# The benchmark runs docs/performance.md reports, in order, each into its own artifacts folder under $OUT
# (BenchmarkDotNet would otherwise overwrite one class's report with the next run's). Run on an idle machine:
#   bash scripts/benchmarks-full.sh [OUT]        (about 45 minutes on a 2-core CPU)
# Optional: BEFORE=/path/to/older/checkout also times that checkout's library on the before/after cases.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-runs/benchmarks-$(date +%Y%m%d)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
dotnet build benchmarks/Matryoshka.Benchmarks -c Release > "$OUT/build.log"
if [[ -n "${BEFORE:-}" ]]; then dotnet build "$BEFORE/benchmarks/Matryoshka.Benchmarks" -c Release > "$OUT/build-before.log"; fi

bench() { # bench NAME [ENV=VALUE …] -- FILTER …
  local name=$1; shift
  local envs=()
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done; shift
  local project=benchmarks/Matryoshka.Benchmarks
  if [[ $name == before-* ]]; then project=$BEFORE/benchmarks/Matryoshka.Benchmarks; fi
  echo "$(date -u +%H:%M:%S) $name" >&2
  env "${envs[@]}" dotnet run -c Release --no-build --project "$project" -- --artifacts "$OUT/$name" --filter "$@" > "$OUT/$name.log" 2>&1 || echo "$name exited $?" >&2
}

# Before/after cases of the optimisations (same machine, minutes apart).
for side in ${BEFORE:+before} after; do
  bench $side-optimizer MATRYOSHKA_BENCH_MODELS=emoji-64,released64/4 -- '*OptimizerUpdate*'
  bench $side-training MATRYOSHKA_BENCH_MODELS=emoji-64,emoji-64.inner MATRYOSHKA_BENCH_BATCHES=2 MATRYOSHKA_BENCH_DTYPES=float32 -- '*TrainingStep*'
  bench $side-sampling MATRYOSHKA_BENCH_MODELS=emoji-64,emoji-64.inner MATRYOSHKA_BENCH_BATCHES=1 MATRYOSHKA_BENCH_DTYPES=float32 -- '*SamplingStep*'
done

# Every benchmark in its default scope (float32 and bfloat16; the big-level models at batch 1).
bench all -- '*'
echo "$(date -u +%H:%M:%S) memory" >&2
memory() { dotnet run -c Release --no-build --project benchmarks/Matryoshka.Benchmarks -- memory "$@"; }
memory --batch 8 --steps 3 emoji-64 emoji-64.inner released64/4 nested256/4 flat256/4 > "$OUT/memory-b8.md" 2> "$OUT/memory-b8.log"
memory --batch 1 --steps 3 mdm1024/8 mdm1024/8.inner mdm1024/8.core > "$OUT/memory-b1.md" 2> "$OUT/memory-b1.log"
echo "$(date -u +%H:%M:%S) done" >&2
