#!/usr/bin/env bash
# Builds the tree with sanitizers and runs the tests there (issue 26), each in its own build
# folder, without LibTorch, Qt or CUDA (their prebuilt libraries are not instrumented; the tests
# that need them skip with a message):
#   scripts/sanitize.sh            AddressSanitizer + UndefinedBehaviorSanitizer, every test
#   scripts/sanitize.sh thread     ThreadSanitizer, the concurrency tests (rings, runner, stream
#                                  pool, ZeroMQ edges, the decoder service)
# Any report fails the run (-fno-sanitize-recover, halt_on_error). ccache is used where present.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-address}"
case "$mode" in
  address) sanitize="address,undefined"; build="$here/build-asan" ;;
  thread) sanitize="thread"; build="$here/build-tsan" ;;
  *) echo "usage: sanitize.sh [address|thread]" >&2; exit 2 ;;
esac
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
echo "==> Configuring $build (-fsanitize=$sanitize)"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSTREAMDX_SANITIZE="$sanitize" -DSTREAMDX_WITH_TORCH=OFF -DSTREAMDX_WITH_GUI=OFF \
  -DSTREAMDX_WITH_CUDA=OFF -DSTREAMDX_BUILD_BENCHMARKS=OFF "${launcher[@]}" >/dev/null
export STREAMDX_DATA="${STREAMDX_DATA:-$here/../shared/data}"
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$here/tests/tsan.supp"
if [[ "$mode" == address ]]; then
  echo "==> Building"
  cmake --build "$build"
  echo "==> Running every test under ASan + UBSan"
  ctest --test-dir "$build" --output-on-failure --parallel "$(nproc)" --timeout 300
  exit 0
fi
echo "==> Building the concurrency tests"
cmake --build "$build" --target core_tests io_tests runtime_tests service_tests epr_tests
echo "==> Running them under TSan"
exec ctest --test-dir "$build" --output-on-failure --parallel "$(nproc)" --timeout 300 \
  -R '^(SpscRing|SpscRingStress|Pipeline|StreamPool|ChainEnds/StreamPoolChain|ZmqEdge|DecoderServer|DecoderProtocol|LiveEprImage)\.'
