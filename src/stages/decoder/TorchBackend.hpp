#pragma once
// TorchBackend: everything streamdx asks of LibTorch, behind an interface implemented by the
// plugin libstreamdx_torch.so (TorchPlugin.cpp, the only code that includes LibTorch headers).
// The plugin is loaded on first use from beside the executable.
#include <memory>
#include <string>

namespace streamdx {

class TorchBackend {
 public:
  virtual ~TorchBackend() = default;
  [[nodiscard]] virtual std::string version() const = 0;
  // LibTorch starts with one intra-op thread here; the decoder always sets the count explicitly.
  virtual void set_threads(int n) = 0;
  [[nodiscard]] virtual int threads() const = 0;
  // Whether this LibTorch build can use a GPU and one is present (PyTorch's CUDA LibTorch).
  [[nodiscard]] virtual bool cuda_available() const = 0;
};

// The plugin's C entry point: returns a backend owned by the plugin.
using TorchBackendEntry = TorchBackend* (*)();
inline constexpr const char* kTorchPluginFile = "libstreamdx_torch.so";
inline constexpr const char* kTorchBackendSymbol = "streamdx_torch_backend";

// Loads the plugin once; throws std::runtime_error saying why LibTorch is unavailable (a build
// without it, or a plugin that fails to load).
TorchBackend& torch_backend();

}  // namespace streamdx
