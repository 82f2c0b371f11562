#include <cuda_runtime.h>

#include "runtime/CudaDevices.hpp"

namespace streamdx {

CudaDevices probe_cuda_devices() {
  CudaDevices d;
  d.compiled_in = true;
  int count = 0;
  const cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess) {
    d.why_none = cudaGetErrorString(err);
    cudaGetLastError();  // clear the sticky error so later CUDA calls start clean
    return d;
  }
  d.count = count;
  if (count == 0) {
    d.why_none = "no CUDA device";
    return d;
  }
  cudaDeviceProp prop{};
  if (cudaGetDeviceProperties(&prop, 0) == cudaSuccess) d.first_name = prop.name;
  return d;
}

}  // namespace streamdx
