#!/usr/bin/env bash
# Installs streamdx's Debian dependencies (idempotent) and builds it.
#
#   scripts/setup.sh                 install what is missing, configure, build
#   STREAMDX_SKIP_APT=1 scripts/setup.sh      build only
#   BUILD_DIR=... CMAKE_ARGS="-DSTREAMDX_WITH_TORCH=OFF" scripts/setup.sh
#
# A second run installs nothing and rebuilds only what changed, so it takes seconds.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$here/build}"

step() { printf '\n==> %s\n' "$*"; }

# Everything the build, the tests, the benchmarks and the fuzzers need.
packages=(
  # toolchain
  cmake ninja-build g++ ccache pkg-config clang libclang-rt-14-dev
  # core libraries
  libboost-dev libzmq3-dev cppzmq-dev libsodium-dev libfmt-dev libspdlog-dev
  libcli11-dev libtomlplusplus-dev nlohmann-json3-dev
  # signal processing and formats
  libfftw3-dev libedf-dev
  # decoder. Debian's LibTorch uses the reference BLAS unless OpenBLAS is installed (an
  # alternative it then picks up): 19x faster LSTM forward passes here (docs/PERFORMANCE.md).
  libtorch-dev libopenblas0-pthread
  # GUI
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev libgl-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev xvfb xauth python3 python3-numpy python3-mne python3-zmq
  # corpus batch jobs: the Slurm test starts a real one-node cluster (scripts/slurm/local_cluster.sh)
  slurm-wlm munge
)

step "Checking Debian packages (${#packages[@]} wanted)"
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "all present"
elif [[ "${STREAMDX_SKIP_APT:-0}" == 1 ]]; then
  echo "missing but STREAMDX_SKIP_APT=1: ${missing[*]}"
else
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "setup.sh: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  step "apt-get update"
  "${sudo[@]}" apt-get update -qq
  step "apt-get install"
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# CUDA lives outside PATH on these machines; let CMake's AUTO detection find it.
if ! command -v nvcc >/dev/null && [[ -x /usr/local/cuda/bin/nvcc ]]; then
  export PATH="/usr/local/cuda/bin:$PATH"
fi

step "Configuring in $build_dir"
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
            -DCMAKE_CUDA_COMPILER_LAUNCHER=ccache)
fi
if [[ ! -f "$build_dir/build.ninja" ]]; then
  # shellcheck disable=SC2086
  cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" \
    "${launcher[@]}" ${CMAKE_ARGS:-}
else
  echo "already configured (delete $build_dir to start over)"
fi

step "Building (jobs: $(nproc))"
cmake --build "$build_dir" --parallel "$(nproc)"

step "Done: $build_dir/streamdx"
