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

namespace streamdx {

enum class TorchDevice { kAuto, kCpu, kCuda };

// Channel-windows with one label each (1 = seizure, 0 = background).
struct TrainingSet {
  std::vector<float> windows;  // count x kSteps x kInputs
  std::vector<std::int64_t> labels;
  [[nodiscard]] std::size_t count() const noexcept { return labels.size(); }
};

struct TrainingOptions {
  std::string normalization = "fixed";  // "fixed", "window" or "absolute" (SeizureModelScript)
  double gain_augment_db = 0;  // each training window's gain drawn from +-this (energy shift)
  // Defaults: the committed model's settings, chosen by validation loss (models/README.md).
  int hidden = 32;
  double dropout = 0.5;
  double learning_rate = 3e-5;
  double weight_decay = 0.1;
  int batch = 64;
  int max_epochs = 60;
  int patience = 8;        // epochs without a better validation loss before stopping
  bool keep_last = false;  // save the last epoch's weights, not the best validation epoch's
  std::uint64_t seed = 1;
  int threads = 1;              // intra-op threads; 1 keeps the weights bit-identical run to run
  std::string model_path;       // TorchScript written here (the best epoch's weights)
  std::string checkpoint_path;  // written at every epoch's end and on a stop request
  std::string resume_path;      // a checkpoint to continue from ("" = start fresh)
  // Non-empty: after every epoch, that epoch's weights are also saved (for inference, like the
  // model file) as PREFIX<epoch>.pt. Cross-validation scores each fold at the chosen epoch.
  std::string snapshot_prefix;
};

struct TrainingProgress {
  int epoch = 0;  // 1-based
  int max_epochs = 0;
  std::size_t batch = 0;  // batches done in this epoch
  std::size_t batches = 0;
  double loss = 0;  // running mean of this epoch's training loss
};

struct EpochSummary {
  int epoch = 0;
  double train_loss = 0;
  double validation_loss = 0;
  double validation_accuracy = 0;
};

struct TrainingReport {
  std::vector<EpochSummary> history;
  int best_epoch = 0;
  bool stopped = false;     // a stop request ended training (a checkpoint was saved)
  bool early_stop = false;  // the validation loss stopped improving
  std::string architecture;
};

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
