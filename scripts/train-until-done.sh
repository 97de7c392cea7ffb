#!/bin/bash
# Drives a long training run to its end across crashes and interruptions: `train --resume` continues bit-exactly
# from the newest good checkpoint, so a crash (see docs/troubleshooting.md, implicit Scalars) costs only the steps
# since the last checkpoint. Publish the CLI first so rebuilding the repository does not disturb the run:
#   dotnet publish src/Matryoshka.Cli -c Release -o runs/cli
#   nohup scripts/train-until-done.sh samples/configs/emoji-64.yaml runs/emoji-64 1 > runs/emoji-64.log 2>&1 &
# Arguments: <training config> <output folder> [torch threads, default 1 so two runs can share two cores]
set -u
config=$1; out=$2; threads=${3:-1}
cli=${MATRYOSHKA_CLI:-runs/cli/Matryoshka.Cli.dll}
for attempt in $(seq 1 50); do
  echo "=== attempt $attempt $(date -u +%FT%TZ)"
  if dotnet "$cli" train --config "$config" --out "$out" --plain --resume --threads "$threads" < /dev/null; then exit 0; fi
  sleep 2
done
echo "giving up after 50 attempts" >&2
exit 1
