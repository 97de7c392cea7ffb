#!/usr/bin/env bash
# Fetches one npm package version as a tarball and proves it is the published one:
#   bash scripts/npm-pack-verified.sh PACKAGE VERSION INTEGRITY CACHE_FOLDER
# runs `npm pack PACKAGE@VERSION` into CACHE_FOLDER unless the tarball is already there, checks its sha512 against
# INTEGRITY (what `npm view PACKAGE@VERSION dist.integrity` printed when the caller recorded it), and prints the
# tarball's path on stdout. A mismatch stops with exit code 1 and tells how to recover. Needs npm (with node).
set -euo pipefail

readonly package="$1" version="$2" integrity="$3" cache="$4"
# npm's file name: a scoped @scope/name becomes scope-name-VERSION.tgz.
name="${package#@}"
tarball="$cache/${name//\//-}-$version.tgz"
mkdir -p "$cache"
if [[ ! -f "$tarball" ]]; then
  echo "fetching $package@$version with npm pack into $cache" >&2
  npm pack "$package@$version" --pack-destination "$cache" --silent > /dev/null
fi

actual="$(node -e '
  const crypto = require("crypto"), fs = require("fs");
  process.stdout.write("sha512-" + crypto.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"));
' "$tarball")"
if [[ "$actual" != "$integrity" ]]; then
  echo "error: $tarball does not match the published integrity of $package@$version" >&2
  echo "  expected $integrity" >&2
  echo "  actual   $actual" >&2
  echo "delete the file and run this script again" >&2
  exit 1
fi
echo "verified $tarball ($integrity)" >&2
echo "$tarball"
