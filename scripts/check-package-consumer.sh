#!/usr/bin/env bash
# The consumer check (.ci/run runs it): packs every package of this repository into a temporary feed, copies
# samples/PackageQuickstart to a folder outside the repository, restores it from that feed (NuGet's public feed for
# third-party packages), runs it, and checks the PNG it writes. Then installs the CLI tool from the same feed and
# runs `matryoshka generate` from another folder. Uses a unique prerelease version and a private package folder, so
# no stale copy of our packages from an earlier run can be picked up (third-party packages come from the user's
# package folder when they are there).
#   bash scripts/check-package-consumer.sh [--skip-tool]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
suffix="check.$(date -u +%Y%m%d%H%M%S)"
prefix=$(dotnet msbuild "$repo/src/Matryoshka/Matryoshka.csproj" -getProperty:VersionPrefix)
version="$prefix-$suffix"
feed="$work/feed"
user_packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')

echo "consumer check: packing $version into $feed"
for project in Matryoshka Matryoshka.ImageSharp Matryoshka.Text.MiniLM Matryoshka.Evaluation Matryoshka.Training Matryoshka.Models.Emoji64 Matryoshka.Models.Emoji256 Matryoshka.Data.Emoji Matryoshka.Benchmarks.Comparison Matryoshka.Extensions.AI Matryoshka.AspNetCore; do
  dotnet pack "$repo/src/$project/$project.csproj" -c Release -o "$feed" -p:VersionSuffix="$suffix" --nologo -v quiet
done
[[ "${1:-}" == "--skip-tool" ]] || dotnet pack "$repo/src/Matryoshka.Cli/Matryoshka.Cli.csproj" -c Release -o "$feed" -p:VersionSuffix="$suffix" --nologo -v quiet
ls -l "$feed"/*.nupkg

cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config><add key="globalPackagesFolder" value="$work/packages" /></config>
  <fallbackPackageFolders><add key="user" value="$user_packages" /></fallbackPackageFolders>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="Matryoshka" /><package pattern="Matryoshka.*" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML

# The sample, copied out of the repository: no Directory.Build.* of ours can reach it there.
cp -r "$repo/samples/PackageQuickstart" "$work/app"
rm -rf "$work/app/bin" "$work/app/obj"
cp "$work/nuget.config" "$work/app/nuget.config"
(cd "$work/app" && dotnet run -c Release -p:MatryoshkaVersion="$version" -- "a red apple" "$work/apple.png")

# A PNG, 64×64: the signature, then IHDR's width and height (big-endian) at bytes 16-23.
check_png() {
  local file=$1 size=$2
  [[ -s "$file" ]] || { echo "consumer check: $file was not written"; exit 1; }
  [[ "$(head -c 8 "$file" | od -An -tx1 | tr -d ' \n')" == "89504e470d0a1a0a" ]] || { echo "consumer check: $file is not a PNG"; exit 1; }
  local dims; dims=$(od -An -tu1 -j16 -N8 "$file" | tr -s ' ' | sed 's/^ //')
  [[ "$dims" == "0 0 0 $size 0 0 0 $size" ]] || { echo "consumer check: $file is not ${size}x${size} (IHDR: $dims)"; exit 1; }
  echo "consumer check: $file is a ${size}x${size} PNG ($(stat -c %s "$file") bytes)"
}
check_png "$work/apple.png" 64

if [[ "${1:-}" != "--skip-tool" ]]; then
  tool_size=$(stat -c %s "$feed/Matryoshka.Cli.$version.nupkg")
  echo "consumer check: tool package $((tool_size / 1048576)) MiB"
  # NuGet's limit, read strictly as decimal megabytes (250 MiB would be 262 MB).
  (( tool_size < 250 * 1000 * 1000 )) || { echo "consumer check: the tool package is over 250 MB ($tool_size bytes)"; exit 1; }
  (cd "$work" && dotnet tool install Matryoshka.Cli --tool-path "$work/tool" --version "$version" --configfile "$work/nuget.config")
  mkdir -p "$work/elsewhere"
  (cd "$work/elsewhere" && OMP_NUM_THREADS=${OMP_NUM_THREADS:-2} "$work/tool/matryoshka" generate "a red apple" --seed 1 --out tool-apple.png)
  check_png "$work/elsewhere/tool-apple.png" 64
  # Same model, prompt, seed and settings through the library and through the tool: the same image, byte for byte.
  cmp "$work/apple.png" "$work/elsewhere/tool-apple.png" && echo "consumer check: the app and the tool drew the same image"
fi
echo "consumer check: passed"
