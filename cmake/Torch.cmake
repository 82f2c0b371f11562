# LibTorch: Debian's CPU build by default; PyTorch's bundled CUDA build when
# Torch_DIR / CMAKE_PREFIX_PATH points at `torch.utils.cmake_prefix_path`.
set(STREAMDX_HAVE_TORCH OFF)
if(STREAMDX_WITH_TORCH)
  find_package(Torch REQUIRED)
  # TorchConfig exports its include dirs as normal ones; its headers warn under our flags.
  set(STREAMDX_TORCH_INCLUDE_DIRS ${TORCH_INCLUDE_DIRS})
  set(STREAMDX_HAVE_TORCH ON)
endif()
message(STATUS "streamdx: LibTorch decoder ${STREAMDX_HAVE_TORCH}")
