#pragma once
// TorchBackend: everything streamdx asks of LibTorch, behind an interface implemented by the
// plugin libstreamdx_torch.so (TorchPlugin.cpp and TorchTrainer.cpp, the only code that
// includes LibTorch headers). The plugin is loaded on first use from beside the executable.
// Only standard types cross this interface.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "stages/decoder/LstmWeights.hpp"
#include "stages/decoder/SeizureModel.hpp"
#include "stages/decoder/TrainingTypes.hpp"

namespace streamdx {

enum class TorchDevice { kAuto, kCpu, kCuda };

class TorchBackend {
 public:
  virtual ~TorchBackend() = default;
  [[nodiscard]] virtual std::string version() const = 0;
  // LibTorch starts with one intra-op thread here; callers always set the count explicitly.
  virtual void set_threads(int n) = 0;
  [[nodiscard]] virtual int threads() const = 0;
  // Whether this LibTorch build can use a GPU and one is present (PyTorch's CUDA LibTorch).
  [[nodiscard]] virtual bool cuda_available() const = 0;

  // Loads a TorchScript seizure model and checks its input and output shapes with a warm-up
  // pass; throws std::runtime_error naming the file and what is wrong.
  virtual std::unique_ptr<SeizureModel> load_model(const std::string& path, TorchDevice device) = 0;
  // The trained tensors of a model file that load_model() accepted, for the native CPU engine.
  virtual LstmWeights lstm_weights(const std::string& path) = 0;

  // Trains the channel LSTM, writing the model (and checkpoints) where `options` say.
  // `progress` is called after every batch; `stop_requested` is polled after every batch.
  virtual TrainingReport train(const TrainingSet& train, const TrainingSet& validation,
                               const TrainingOptions& options,
                               const std::function<void(const TrainingProgress&)>& progress,
                               const std::function<bool()>& stop_requested) = 0;
};

// The plugin's C entry point: returns a backend owned by the plugin.
using TorchBackendEntry = TorchBackend* (*)();
inline constexpr const char* kTorchPluginFile = "libstreamdx_torch.so";
inline constexpr const char* kTorchBackendSymbol = "streamdx_torch_backend";

// Loads the plugin once; throws std::runtime_error saying why LibTorch is unavailable (a build
// without it, or a plugin that fails to load).
TorchBackend& torch_backend();

}  // namespace streamdx
