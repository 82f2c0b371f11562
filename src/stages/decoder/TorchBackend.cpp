#include "stages/decoder/TorchBackend.hpp"

#include <fmt/format.h>
#include <mutex>
#include <stdexcept>

#include "core/SharedLibrary.hpp"

namespace streamdx {

TorchBackend& torch_backend() {
  static std::once_flag once;
  static std::unique_ptr<SharedLibrary> library;
  static TorchBackend* backend = nullptr;
  static std::string failure;
  std::call_once(once, [] {
    // Beside the executable, or one level up for the programs in build/tests and build/bench.
    auto path = executable_dir() / kTorchPluginFile;
    if (!std::filesystem::exists(path)) path = executable_dir().parent_path() / kTorchPluginFile;
    if (!std::filesystem::exists(path)) {
      failure = fmt::format(
          "LibTorch is not available: {} not found (built with "
          "STREAMDX_WITH_TORCH=OFF?)",
          path.string());
      return;
    }
    try {
      library = std::make_unique<SharedLibrary>(path);
      auto entry = reinterpret_cast<TorchBackendEntry>(library->symbol(kTorchBackendSymbol));
      backend = entry();
    } catch (const std::exception& e) {
      failure = fmt::format("LibTorch is not available: {}", e.what());
    }
  });
  if (backend == nullptr) throw std::runtime_error(failure);
  return *backend;
}

}  // namespace streamdx
