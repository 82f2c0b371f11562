#pragma once
// Run-time GPU discovery. Code paths that can use a GPU ask here and fall back to the CPU when
// the answer is zero, so one binary runs on machines with and without a GPU.
#include <string>

namespace streamdx {

struct CudaDevices {
  int count = 0;             // usable CUDA devices; 0 means "use the CPU"
  std::string first_name;    // name of device 0, if any
  std::string why_none;      // the driver's reason when count == 0 (no driver, no device, ...)
  bool compiled_in = false;  // false when the build has no CUDA code at all
};

CudaDevices probe_cuda_devices();

}  // namespace streamdx
