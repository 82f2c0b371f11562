// Built instead of CudaDevices.cu when the build has no CUDA toolkit.
#include "runtime/CudaDevices.hpp"

namespace streamdx {

CudaDevices probe_cuda_devices() {
  CudaDevices d;
  d.why_none = "built without CUDA (STREAMDX_WITH_CUDA=OFF or no nvcc)";
  return d;
}

}  // namespace streamdx
