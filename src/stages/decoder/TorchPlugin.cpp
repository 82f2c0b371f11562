// The LibTorch plugin (libstreamdx_torch.so): the backend and model loading. Training is in
// TorchTrainer.cpp. Keep the LibTorch headers here light: <torch/torch.h> costs ~30 s and
// 1.3 GB per translation unit, and only the trainer includes anything close to it.
#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <dlfcn.h>
#include <fmt/format.h>
#include <torch/cuda.h>
#include <torch/script.h>
#include <torch/version.h>

#include <filesystem>
#include <stdexcept>

#include "stages/decoder/DecoderShape.hpp"
#include "stages/decoder/SeizureModelScript.hpp"
#include "stages/decoder/TorchBackend.hpp"
#include "stages/decoder/TorchTraining.hpp"

namespace streamdx {
namespace {

// The first line of a LibTorch error: the rest is a C++ backtrace.
std::string first_line(const std::string& s) {
  return s.substr(0, s.find('\n'));
}

class ScriptedSeizureModel final : public SeizureModel {
 public:
  // A Module is a shared handle: copying it copies a pointer.
  ScriptedSeizureModel(const torch::jit::Module& module, torch::Device device)
      : module_(module), device_(device), posteriors_(module_.get_method("posteriors")) {}

  // The script normalises whole windows, so an epoch's encoding is its raw features.
  [[nodiscard]] std::size_t encoding_size() const override { return decoder::kInputs; }
  void encode_epochs(std::span<const float> epochs, std::size_t count,
                     std::span<float> encodings) override {
    if (epochs.size() != count * decoder::kInputs || encodings.size() != epochs.size()) {
      throw std::invalid_argument("SeizureModel::encode_epochs: spans do not match the count");
    }
    std::copy(epochs.begin(), epochs.end(), encodings.begin());
  }

  void decode_windows(std::span<const float> windows, std::size_t batch,
                      std::span<float> posteriors) override {
    if (windows.size() != batch * decoder::kWindowValues ||
        posteriors.size() != batch * decoder::kClasses) {
      throw std::invalid_argument("SeizureModel::decode_windows: spans do not match the batch");
    }
    const c10::InferenceMode inference;
    const auto n = static_cast<std::int64_t>(batch);
    // from_blob does not copy; the input is only read.
    auto x = torch::from_blob(const_cast<float*>(windows.data()),  // NOLINT: read-only use
                              {n, static_cast<std::int64_t>(decoder::kSteps),
                               static_cast<std::int64_t>(decoder::kInputs)},
                              torch::kFloat32);
    if (!device_.is_cpu()) x = x.to(device_);
    const torch::Tensor p = posteriors_({x}).toTensor().to(torch::kCPU).contiguous();
    std::copy_n(p.data_ptr<float>(), posteriors.size(), posteriors.begin());
  }

  [[nodiscard]] std::string device() const override { return device_.str(); }
  [[nodiscard]] std::string engine() const override { return "torchscript"; }

 private:
  torch::jit::Module module_;
  torch::Device device_;
  torch::jit::Method posteriors_;
};

torch::Device pick_device(TorchDevice wanted) {
  const bool cuda = torch::cuda::is_available();
  if (wanted == TorchDevice::kCuda && !cuda) {
    throw std::runtime_error("CUDA was asked for, but this LibTorch sees no GPU");
  }
  return (wanted != TorchDevice::kCpu && cuda) ? torch::Device(torch::kCUDA, 0)
                                               : torch::Device(torch::kCPU);
}

class LibTorchBackend final : public TorchBackend {
 public:
  [[nodiscard]] std::string version() const override { return TORCH_VERSION; }
  void set_threads(int n) override {
    if (n < 1) throw std::invalid_argument("LibTorch thread count must be at least 1");
    at::set_num_threads(n);
    // LibTorch's BLAS may be OpenBLAS (Debian installs it as the alternative), whose own worker
    // threads ignore at::set_num_threads and spin between calls: with one model per stream
    // worker they burned 18x the CPU of the work itself (docs/PERFORMANCE.md). Its count is
    // set here too when it is loaded.
    using SetThreads = void (*)(int);
    if (auto* openblas =
            reinterpret_cast<SetThreads>(::dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) {
      openblas(n);
    }
  }
  [[nodiscard]] int threads() const override { return at::get_num_threads(); }
  [[nodiscard]] bool cuda_available() const override { return at::hasCUDA(); }

  std::unique_ptr<SeizureModel> load_model(const std::string& path, TorchDevice wanted) override {
    if (!std::filesystem::is_regular_file(path)) {
      throw std::runtime_error(std::filesystem::is_directory(path)
                                   ? fmt::format("{}: the model is a directory, not a file", path)
                                   : fmt::format("{}: model file not found", path));
    }
    const torch::Device device = pick_device(wanted);
    torch::jit::Module module;
    try {
      module = torch::jit::load(path, device);
    } catch (const c10::Error& e) {
      throw std::runtime_error(
          fmt::format("{}: not a TorchScript model ({})", path, first_line(e.what())));
    }
    if (!module.hasattr("streamdx_format") ||
        module.attr("streamdx_format").toStringRef() != decoder::kSeizureModelFormat) {
      throw std::runtime_error(fmt::format(
          "{}: a TorchScript model, but not a streamdx seizure model (no streamdx_format = '{}')",
          path, decoder::kSeizureModelFormat));
    }
    if (!module.find_method("posteriors")) {
      throw std::runtime_error(fmt::format("{}: the model has no posteriors() method", path));
    }
    module.eval();
    // Weights become constants of the graph: about 15 % less per forward (docs/PERFORMANCE.md).
    // optimize_numerics = false: no rewrite that could change a single bit of the posteriors.
    module = torch::jit::freeze(module, std::vector<std::string>{"posteriors"}, false);
    auto model = std::make_unique<ScriptedSeizureModel>(module, device);
    // Warm-up on a full 22-channel batch: checks the shapes now, and takes the first-call cost
    // (graph optimisation, allocations) before any real window.
    constexpr std::size_t kWarmBatch = 22;
    std::vector<float> x(kWarmBatch * decoder::kWindowValues, 0.0F);
    std::vector<float> p(kWarmBatch * decoder::kClasses);
    try {
      for (int i = 0; i < 3; ++i) model->forward(x, kWarmBatch, p);
    } catch (const c10::Error& e) {
      throw std::runtime_error(
          fmt::format("{}: the model does not accept [22, {}, {}] windows ({})", path,
                      decoder::kSteps, decoder::kInputs, first_line(e.what())));
    }
    for (std::size_t b = 0; b < kWarmBatch; ++b) {
      const float sum = p[2 * b] + p[2 * b + 1];
      if (!(sum > 0.999F && sum < 1.001F)) {
        throw std::runtime_error(
            fmt::format("{}: the model's outputs are not two class probabilities", path));
      }
    }
    return model;
  }

  LstmWeights lstm_weights(const std::string& path) override {
    const torch::jit::Module module = torch::jit::load(path, torch::Device(torch::kCPU));
    const auto values = [&](const char* name) {
      const torch::Tensor t = module.attr(name).toTensor().to(torch::kFloat32).contiguous();
      return std::vector<float>(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
    };
    LstmWeights w;
    w.normalization = module.attr("normalization").toStringRef();
    w.hidden = static_cast<std::size_t>(module.attr("hidden").toInt());
    w.w_ih = values("w_ih");
    w.w_hh = values("w_hh");
    w.b_ih = values("b_ih");
    w.b_hh = values("b_hh");
    w.w_out = values("w_out");
    w.b_out = values("b_out");
    w.feature_mean = values("feature_mean");
    w.feature_std = values("feature_std");
    return w;
  }

  TrainingReport train(const TrainingSet& train, const TrainingSet& validation,
                       const TrainingOptions& options,
                       const std::function<void(const TrainingProgress&)>& progress,
                       const std::function<bool()>& stop_requested) override {
    return train_seizure_model(train, validation, options, progress, stop_requested);
  }
};

}  // namespace
}  // namespace streamdx

extern "C" __attribute__((visibility("default"))) streamdx::TorchBackend* streamdx_torch_backend() {
  static streamdx::LibTorchBackend backend;
  return &backend;
}
