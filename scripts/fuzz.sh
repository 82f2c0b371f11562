#!/usr/bin/env bash
# Runs every libFuzzer target for a while under clang with ASan and UBSan.
#   scripts/fuzz.sh [SECONDS_PER_TARGET]      (default 60)
# Crashes are written to build-fuzz/crashes/<target>/. Needs clang and libclang-rt-14-dev,
# which scripts/setup.sh installs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
build="$here/build-fuzz"

echo "==> Configuring the fuzz build with clang in $build"
CC=clang CXX=clang++ cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSTREAMDX_FUZZ=ON -DSTREAMDX_WITH_TORCH=OFF -DSTREAMDX_WITH_GUI=OFF -DSTREAMDX_WITH_CUDA=OFF \
  -DSTREAMDX_BUILD_TESTS=OFF -DSTREAMDX_BUILD_BENCHMARKS=OFF -DSTREAMDX_WERROR=OFF >/dev/null
echo "==> Building fuzz targets"
targets=$(cd "$build" && ninja -t targets all | sed -n 's/^\(fuzz_[a-z_]*\): phony$/\1/p' | sort -u)
cmake --build "$build" --target $targets

for t in $targets; do
  corpus="$build/corpus/$t"
  crashes="$build/crashes/$t"
  mkdir -p "$corpus" "$crashes"
  echo "==> $t for ${seconds}s"
  "$build/fuzz/$t" -max_total_time="$seconds" -artifact_prefix="$crashes/" "$corpus"
done
echo "==> No crash found"
