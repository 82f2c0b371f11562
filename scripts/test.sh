#!/usr/bin/env bash
# Runs the whole test suite through ctest. GUI tests need a display: without one, the suite runs
# under Xvfb (xvfb-run), started here and gone when ctest ends. Then the sanitizer builds
# (scripts/sanitize.sh): every test under ASan + UBSan, the concurrency tests under TSan, each in
# its own build folder (the first time about 15 minutes on 2 cores; ccache keeps later runs short),
# and every fuzz target for 30 s (STREAMDX_FUZZ_SECONDS) from its seeds and regressions.
#   scripts/test.sh                 everything
#   STREAMDX_SANITIZERS=0 scripts/test.sh     the main build's tests only
#   scripts/test.sh -R Pipeline     extra arguments go to ctest (the main build's tests only)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$here/build}"

if [[ ! -f "$build_dir/CTestTestfile.cmake" ]]; then
  echo "test.sh: no build in $build_dir; run scripts/setup.sh first" >&2
  exit 1
fi

export STREAMDX_DATA="${STREAMDX_DATA:-$here/../shared/data}"
ctest_cmd=(ctest --test-dir "$build_dir" --output-on-failure --parallel "$(nproc)" "$@")

if [[ -z "${DISPLAY:-}" ]] && command -v xvfb-run >/dev/null; then
  echo "==> Running ctest under Xvfb (no DISPLAY)"
  xvfb-run --auto-servernum --server-args="-screen 0 1920x1080x24" "${ctest_cmd[@]}"
else
  echo "==> Running ctest"
  "${ctest_cmd[@]}"
fi
if [[ "${STREAMDX_SANITIZERS:-1}" != 0 && $# -eq 0 ]]; then
  "$here/scripts/sanitize.sh" address
  "$here/scripts/sanitize.sh" thread
  # Every parser fuzzed for a while, from its seeds and its regressions (issue 26).
  "$here/scripts/fuzz.sh" "${STREAMDX_FUZZ_SECONDS:-30}"
fi
