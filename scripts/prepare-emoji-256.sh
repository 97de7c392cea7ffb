#!/usr/bin/env bash
# Prepares the 256×256 Noto emoji training set, reproducibly:
#   1. makes sure the 64² set is there (data/emoji, by scripts/prepare-emoji.sh): it says which emoji, their captions,
#      and is what each 256² render must still match,
#   2. `npm pack @iconify-json/noto@1.2.9` into a cache folder (skipped when the tarball is already there),
#   3. checks the tarball against the sha512 integrity the npm registry publishes for that version (recorded below),
#   4. runs `matryoshka prepare-emoji-svg` on it.
#
#   bash scripts/prepare-emoji-256.sh                      -> data/emoji-256/
#   bash scripts/prepare-emoji-256.sh --out /work/data/emoji-256
#   bash scripts/prepare-emoji-256.sh --compare-with rsvg-convert   # extra arguments go to prepare-emoji-svg
#
# Environment: EMOJI_CACHE (default data/cache) is where the tarballs are kept. Needs npm (with node) and the .NET
# SDK; rsvg-convert (Debian librsvg2-bin) only for --renderer/--compare-with rsvg-convert.
set -euo pipefail

readonly PACKAGE="@iconify-json/noto"
readonly VERSION="1.2.9"
# `npm view @iconify-json/noto@1.2.9 dist.integrity`, looked up once on 2026-12-07.
readonly INTEGRITY="sha512-DQiuXENbun41ch+XPSV55H9FaWKpHTyz46YIKtSaKYD4fIDDzL1tR6H4np/T38jfrTAeI3rcKF0mqHYeZVAuaw=="

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

out="data/emoji-256"
if [[ "${1:-}" == "--out" ]]; then
  out="$2"
  shift 2
fi
reference="data/emoji"

if [[ ! -f "$reference/index.tsv" ]]; then
  echo "no $reference/index.tsv: preparing the 64² set first"
  bash scripts/prepare-emoji.sh
fi

tarball="$(bash scripts/npm-pack-verified.sh "$PACKAGE" "$VERSION" "$INTEGRITY" "${EMOJI_CACHE:-data/cache}")"

dotnet run --project src/Matryoshka.Cli -c Release -- prepare-emoji-svg --svg-package "$tarball" --reference "$reference" --out "$out" "$@"
