// The LibTorch plugin (libstreamdx_torch.so). Keep the LibTorch headers it includes light:
// <torch/torch.h> costs ~30 s and 1.3 GB per translation unit.
#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <torch/version.h>
#include <stdexcept>

#include "stages/decoder/TorchBackend.hpp"

namespace streamdx {
namespace {

class LibTorchBackend final : public TorchBackend {
 public:
  [[nodiscard]] std::string version() const override { return TORCH_VERSION; }
  void set_threads(int n) override {
    if (n < 1) throw std::invalid_argument("LibTorch thread count must be at least 1");
    at::set_num_threads(n);
  }
  [[nodiscard]] int threads() const override { return at::get_num_threads(); }
  [[nodiscard]] bool cuda_available() const override { return at::hasCUDA(); }
};

}  // namespace
}  // namespace streamdx

extern "C" __attribute__((visibility("default"))) streamdx::TorchBackend* streamdx_torch_backend() {
  static streamdx::LibTorchBackend backend;
  return &backend;
}
