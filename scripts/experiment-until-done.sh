#!/bin/bash
# Drives `matryoshka experiment` to its end across crashes and interruptions: the experiment skips the rows already
# in results.csv and each training run resumes bit-exactly from its newest good checkpoint. Publish the CLI first so
# rebuilding the repository does not disturb the run:
#   dotnet publish src/Matryoshka.Cli -c Release -o runs/cli
#   nohup scripts/experiment-until-done.sh samples/configs/convergence/convergence.yaml runs/convergence > runs/convergence.log 2>&1 &
# Arguments: <experiment spec> <output folder> [torch threads, default 2] [seed: only this one of the spec's seeds]
# With a free core per process, run one copy per seed on the same output folder, e.g. `... runs/convergence 1 1` and
# `... runs/convergence 1 2`: they share results.csv safely.
set -u
spec=$1; out=$2; threads=${3:-2}; seed=${4:-}
cli=${MATRYOSHKA_CLI:-runs/cli/Matryoshka.Cli.dll}
for attempt in $(seq 1 50); do
  echo "=== attempt $attempt $(date -u +%FT%TZ)"
  dotnet "$cli" experiment "$spec" --out "$out" --threads "$threads" ${seed:+--seed "$seed"} < /dev/null
  code=$?
  if [ $code -eq 0 ]; then exit 0; fi
  if [ $code -eq 2 ]; then echo "refused (exit 2): fix the input first" >&2; exit 2; fi
  sleep 2
done
echo "giving up after 50 attempts" >&2
exit 1
