#!/usr/bin/env bash
# Runs every libFuzzer target for a while under clang with ASan and UBSan, starting from its
# seeds (written by the main build's replay binaries, when there is one) and from
# tests/fuzz/regressions/<target>/ (inputs that once failed). test.sh runs it for 30 s a target.
#   scripts/fuzz.sh [SECONDS_PER_TARGET]      (default 60)
# Crashes are written to build-fuzz/crashes/<target>/ and fail the script. Needs clang and
# libclang-rt-14-dev, which scripts/setup.sh installs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
build="$here/build-fuzz"

echo "==> Configuring the fuzz build with clang in $build"
CC=clang CXX=clang++ cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSTREAMDX_FUZZ=ON -DSTREAMDX_WITH_TORCH=OFF -DSTREAMDX_WITH_GUI=OFF -DSTREAMDX_WITH_CUDA=OFF \
  -DSTREAMDX_BUILD_TESTS=OFF -DSTREAMDX_BUILD_BENCHMARKS=OFF -DSTREAMDX_WERROR=OFF >/dev/null
echo "==> Building fuzz targets"
targets=$(cd "$build" && ninja -t targets all | sed -n 's/^\(fuzz_[a-z0-9_]*\): phony$/\1/p' | sort -u)
cmake --build "$build" --target $targets

for t in $targets; do
  corpus="$build/corpus/$t"
  crashes="$build/crashes/$t"
  mkdir -p "$corpus" "$crashes"
  replay="$here/build/fuzz/$t"
  [[ -x "$replay" ]] && "$replay" 0 --dump-seeds "$corpus" > /dev/null
  regressions="$here/tests/fuzz/regressions/${t#fuzz_}"
  extra=()
  [[ -d "$regressions" ]] && extra=("$regressions")
  echo "==> $t for ${seconds}s"
  "$build/fuzz/$t" -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=1024 \
    -artifact_prefix="$crashes/" -print_final_stats=1 "$corpus" "${extra[@]}" 2>&1 |
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|==|SUMMARY|ERROR|Done)" || true
  if compgen -G "$crashes/*" > /dev/null; then
    echo "fuzz.sh: $t failed; its inputs are in $crashes" >&2
    exit 1
  fi
done
echo "==> No crash found"
