// Seizure-model inference speed on the CPU (and on a GPU where LibTorch sees one): channel-
// windows per second and per-call latency percentiles, at batch sizes from one channel to 128
// streams of 22 channels, with the committed model, for both engines: TorchScript (LibTorch)
// and the native LSTM, the latter also as the streaming decoder calls it. The BLAS LibTorch ended
// up using is reported, since Debian's LibTorch falls back to the reference BLAS without OpenBLAS.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "core/Random.hpp"
#include "stages/decoder/DecoderShape.hpp"
#include "stages/decoder/NativeLstmModel.hpp"
#include "stages/decoder/TorchBackend.hpp"

namespace streamdx {
namespace {

// Every BLAS library mapped into this process (from /proc/self/maps), e.g. OpenBLAS, or the
// reference BLAS when LD_LIBRARY_PATH puts it first.
std::string blas_in_use() {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  std::vector<std::string> found;
  while (std::getline(maps, line)) {
    const auto slash = line.find('/');
    if (slash == std::string::npos) continue;
    const std::string path = line.substr(slash);
    const std::string name = path.substr(path.rfind('/') + 1);
    if (name.find("blas") == std::string::npos) continue;
    if (std::find(found.begin(), found.end(), path) == found.end()) found.push_back(path);
  }
  std::string out;
  for (const std::string& f : found) out += (out.empty() ? "" : " + ") + f;
  return out.empty() ? "none found" : out;
}

enum class Engine { kTorchScript, kNative };

// One timed call: whole windows (forward), or what one second of a stream costs the streaming
// decoder: encoding the epoch that just completed, then decoding the windows (SeizureModel.hpp).
enum class Call { kForward, kStreamingSecond };

void run(benchmark::State& state, TorchDevice device, Engine engine, Call call) {
  const auto batch = static_cast<std::size_t>(state.range(0));
  std::unique_ptr<SeizureModel> model;
  try {
    TorchBackend& torch = torch_backend();
    torch.set_threads(1);
    if (device == TorchDevice::kCuda && !torch.cuda_available()) {
      state.SkipWithError("no GPU: CUDA figures need a machine with one");
      return;
    }
    const std::string file = STREAMDX_SOURCE_DIR "/models/seizure-lstm.pt";
    model = torch.load_model(file, device);
    if (engine == Engine::kNative)
      model = std::make_unique<NativeLstmModel>(torch.lstm_weights(file));
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  std::vector<float> x(batch * decoder::kWindowValues);
  SplitMix64 rng(1);
  for (float& v : x) v = static_cast<float>(rng.normal());
  const std::size_t code = model->encoding_size();
  std::vector<float> encoded(batch * decoder::kSteps * code);
  model->encode_epochs(x, batch * decoder::kSteps, encoded);
  std::vector<float> epoch_codes(batch * code);
  std::vector<float> p(batch * decoder::kClasses);
  std::vector<double> latencies;
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
    const auto t0 = std::chrono::steady_clock::now();
    if (call == Call::kForward) {
      model->forward(x, batch, p);
    } else {
      model->encode_epochs(std::span<const float>(x).first(batch * decoder::kInputs), batch,
                           epoch_codes);
      model->decode_windows(encoded, batch, p);
    }
    latencies.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(latencies.begin(), latencies.end());
  const auto pct = [&](double q) {
    return latencies[std::min(latencies.size() - 1,
                              static_cast<std::size_t>(q * static_cast<double>(latencies.size())))];
  };
  state.counters["channel_windows_per_s"] = benchmark::Counter(
      static_cast<double>(batch * latencies.size()), benchmark::Counter::kIsRate);
  state.counters["p50_us"] = pct(0.50);
  state.counters["p99_us"] = pct(0.99);
  state.counters["max_us"] = latencies.back();
  state.SetLabel(model->device() + " " + model->engine() + ", BLAS " + blas_in_use());
}

// TorchScript's encoding is a copy of the raw features, so its streaming second is its forward.
void BM_DecoderCpu(benchmark::State& state) {
  run(state, TorchDevice::kCpu, Engine::kTorchScript, Call::kForward);
}
void BM_DecoderCuda(benchmark::State& state) {
  run(state, TorchDevice::kCuda, Engine::kTorchScript, Call::kForward);
}
void BM_DecoderNativeForward(benchmark::State& state) {
  run(state, TorchDevice::kCpu, Engine::kNative, Call::kForward);
}
void BM_DecoderNativeStreaming(benchmark::State& state) {
  run(state, TorchDevice::kCpu, Engine::kNative, Call::kStreamingSecond);
}

// 1 channel, one 22-channel stream, then 8, 32 and 128 streams of 22 channels (176, 704,
// 2816) in one batch.
void batches(benchmark::internal::Benchmark* b) {
  for (const std::int64_t n : {1, 22, 176, 704, 2816}) b->Arg(n);
  b->Unit(benchmark::kMicrosecond);
}
BENCHMARK(BM_DecoderCpu)->Apply(batches);
BENCHMARK(BM_DecoderCuda)->Apply(batches);
BENCHMARK(BM_DecoderNativeForward)->Apply(batches);
BENCHMARK(BM_DecoderNativeStreaming)->Apply(batches);

}  // namespace
}  // namespace streamdx

BENCHMARK_MAIN();
