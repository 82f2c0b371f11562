#include "runtime/ModelLoading.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "core/FileErrors.hpp"
#include "core/Random.hpp"
#include "core/SharedLibrary.hpp"
#include "stages/decoder/NativeLstmModel.hpp"
#include "stages/decoder/TorchBackend.hpp"

namespace streamdx {

std::filesystem::path resolve_model_path(const std::string& spec) {
  std::filesystem::path p(spec);
  if (p.is_absolute() || std::filesystem::exists(p)) return p;
  std::filesystem::path beside_checkout = executable_dir().parent_path() / p;
  if (std::filesystem::exists(beside_checkout)) return beside_checkout;
  return p;  // the loader then says it is missing, under the name the user gave
}

namespace {

// Both engines on the same 22 windows of plausible features (the training statistics plus unit
// noise): a model file whose script the native engine does not implement fails here, at start.
void check_engines_agree(const std::string& file, SeizureModel& scripted, SeizureModel& native,
                         const LstmWeights& weights) {
  constexpr std::size_t kBatch = 22;
  constexpr double kTolerance = 1e-4;
  SplitMix64 rng(7);
  std::vector<float> x(kBatch * decoder::kWindowValues);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const std::size_t feature = i % decoder::kFeatures;
    x[i] = weights.feature_mean[feature] +
           weights.feature_std[feature] * static_cast<float>(rng.normal());
  }
  std::vector<float> a(kBatch * decoder::kClasses);
  std::vector<float> b(a.size());
  scripted.forward(x, kBatch, a);
  native.forward(x, kBatch, b);
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(double{a[i]} - b[i]));
  if (!(worst <= kTolerance)) {
    throw std::runtime_error(fmt::format(
        "{}: the native engine's posteriors differ from the model's TorchScript by {:.2g} (more "
        "than {:g}); run it with decoder.engine = torchscript",
        file, worst, kTolerance));
  }
}

}  // namespace

std::shared_ptr<SeizureModel> load_seizure_model(const Config& config, const std::string& path) {
  // Both values are among their choices (core/Settings.hpp checked them at load).
  const std::string device = config.get_string("decoder.device");
  TorchDevice d = TorchDevice::kAuto;
  if (device == "cpu") d = TorchDevice::kCpu;
  if (device == "cuda") d = TorchDevice::kCuda;
  const std::string engine = config.get_string("decoder.engine");
  if (engine == "native") {
    if (d == TorchDevice::kCuda) {
      throw std::invalid_argument(
          "decoder.engine = 'native' runs on the CPU, not decoder.device = 'cuda'");
    }
    d = TorchDevice::kCpu;  // "auto" would pick a GPU where LibTorch sees one
  }
  TorchBackend& torch = torch_backend();
  torch.set_threads(static_cast<int>(config.get_int("decoder.threads")));
  const std::string file =
      resolve_model_path(path.empty() ? config.get_string("decoder.model") : path).string();
  // The TorchScript load checks the file (format, shapes, a warm-up pass) for both engines.
  std::shared_ptr<SeizureModel> scripted = torch.load_model(file, d);
  const LstmWeights weights = torch.lstm_weights(file);
  scripted->set_background_relative(weights.normalization == "background");
  if (engine == "torchscript" || scripted->device() != "cpu") return scripted;
  if (!NativeLstmModel::supports(weights.normalization)) {
    if (engine == "native") {
      throw std::invalid_argument(
          fmt::format("{}: the native engine does not run the '{}' normalisation (decoder.engine = "
                      "torchscript does)",
                      file, weights.normalization));
    }
    return scripted;
  }
  auto native = std::make_shared<NativeLstmModel>(weights);
  native->set_background_relative(scripted->background_relative());
  check_engines_agree(file, *scripted, *native, weights);
  return native;
}

std::string sha256_file(const std::filesystem::path& path) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(cannot_open(path));
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = static_cast<unsigned long long>(in.gcount());
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(buf.data()), n);
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  std::string hex;
  for (const unsigned char b : digest) hex += fmt::format("{:02x}", b);
  return hex;
}

}  // namespace streamdx
