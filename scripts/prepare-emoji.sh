#!/usr/bin/env bash
# Prepares the Noto emoji training set, reproducibly:
#   1. `npm pack emoji-datasource-google@16.0.0` into a cache folder (skipped when the tarball is already there),
#   2. checks the tarball against the sha512 integrity the npm registry publishes for that version (recorded below),
#   3. runs `matryoshka prepare-emoji` on it.
#
#   bash scripts/prepare-emoji.sh          -> data/emoji/ (every emoji with a Google image, skin tones left out)
#   bash scripts/prepare-emoji.sh --mini   -> samples/data/emoji-mini/ (the 16 emoji checked into the repository)
#
# Environment: EMOJI_CACHE (default data/cache) is where the tarball is kept; any further arguments are passed to
# prepare-emoji (for example --resolution 32 or --include-skin-tones). Needs npm (with node) and the .NET SDK.
set -euo pipefail

readonly PACKAGE="emoji-datasource-google"
readonly VERSION="16.0.0"
# `npm view emoji-datasource-google@16.0.0 dist.integrity`, looked up once on 2026-11-26.
readonly INTEGRITY="sha512-ZRexfzs7MVoLnmzZmNsO4TKhnAJp5D++Vm6PpUpH/jEQQlemp3l88CjZ+DoZ2faM9R4QxZkOPJCoT8DlPhfQ3A=="
# The checked-in subset: apple, banana, grapes, sun, crescent moon, red heart, star, fire, smiling face, cat face,
# dog face, car, house, tree, umbrella, rocket (file stems, i.e. unified code points).
readonly MINI="1f34e,1f34c,1f347,2600-fe0f,1f319,2764-fe0f,2b50,1f525,1f60a,1f431,1f436,1f697,1f3e0,1f333,2602-fe0f,1f680"

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

out="data/emoji"
extra=()
if [[ "${1:-}" == "--mini" ]]; then
  shift
  out="samples/data/emoji-mini"
  extra=(--only "$MINI")
fi

tarball="$(bash scripts/npm-pack-verified.sh "$PACKAGE" "$VERSION" "$INTEGRITY" "${EMOJI_CACHE:-data/cache}")"

dotnet run --project src/Matryoshka.Cli -c Release -- prepare-emoji --package "$tarball" --out "$out" "${extra[@]}" "$@"
