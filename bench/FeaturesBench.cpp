// LFCC feature extraction speed: nanoseconds per channel-frame and multiples of real time on one
// core, for one 22-channel stream and for many streams batched, and the numpy reference
// (tests/reference/lfcc_ref.py) timed on the same input in the same run, as a ratio.
// Input: the built-in synthetic 22-channel recording (the figures are speed only).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "io/NpyWriter.hpp"
#include "stages/eeg/LfccExtractor.hpp"
#include "stages/sim/SyntheticEegSource.hpp"

namespace streamdx {
namespace {

constexpr double kSeconds = 120.0;
constexpr std::size_t kChannels = 22;

// Frames of the synthetic recording, planar channels x 25 each.
const std::vector<std::vector<float>>& recording() {
  static const std::vector<std::vector<float>> frames = [] {
    SyntheticEegSettings s;
    s.duration_s = kSeconds;
    SyntheticEegSource src(s);
    std::vector<std::vector<float>> out;
    std::vector<float> f(src.info().shape.sample_count());
    while (src.produce(f, std::stop_token{})) out.push_back(f);
    return out;
  }();
  return frames;
}

// `copies` streams of the recording side by side, as one batch of channels per frame.
std::vector<std::vector<float>> batched(std::size_t copies) {
  std::vector<std::vector<float>> out;
  for (const auto& f : recording()) {
    std::vector<float> b;
    for (std::size_t k = 0; k < copies; ++k) b.insert(b.end(), f.begin(), f.end());
    out.push_back(std::move(b));
  }
  return out;
}

double extract_all(const std::vector<std::vector<float>>& frames, std::size_t channels) {
  LfccExtractor x;
  (void)x.configure(
      StreamInfo{0, FrameShape{static_cast<std::uint16_t>(channels), 25}, lfcc::kSampleRateHz});
  std::vector<float> out(channels * lfcc::kFeatures);
  double sink = 0;
  for (const auto& f : frames) {
    if (x.process(f, out)) sink += out[0];
  }
  while (x.flush(out)) sink += out[0];
  return sink;
}

void report(benchmark::State& state, std::size_t channels) {
  const double frames =
      static_cast<double>(recording().size()) * static_cast<double>(state.iterations());
  state.counters["ns_per_channel_frame"] = benchmark::Counter(
      frames * static_cast<double>(channels),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert, benchmark::Counter::kIs1000);
  state.counters["x_realtime"] = benchmark::Counter(
      frames * 0.1 * static_cast<double>(channels) / kChannels, benchmark::Counter::kIsRate);
}

// One stream of `streams` x 22 channels: x_realtime counts 22-channel stream-seconds.
void BM_Lfcc(benchmark::State& state) {
  const auto streams = static_cast<std::size_t>(state.range(0));
  const auto frames = batched(streams);
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
    benchmark::DoNotOptimize(extract_all(frames, streams * kChannels));
  }
  report(state, streams * kChannels);
}
BENCHMARK(BM_Lfcc)->Arg(1)->Arg(8)->Arg(64)->Unit(benchmark::kMillisecond);

// The numpy reference on the same recording (written as the .npy it reads), and streamdx
// timed again beside it, so the ratio comes from one run on one machine.
void BM_NumpyReferenceRatio(benchmark::State& state) {
  const auto path = std::filesystem::temp_directory_path() / "streamdx-bench-lfcc-signal.npy";
  {
    NpyWriter w(path, {kChannels});
    std::vector<float> rows(25 * kChannels);
    for (const auto& f : recording()) {
      for (std::size_t c = 0; c < kChannels; ++c)
        for (std::size_t i = 0; i < 25; ++i) rows[i * kChannels + c] = f[c * 25 + i];
      w.append(rows);
    }
    w.commit();
  }
  const std::string cmd = "/usr/bin/python3 " STREAMDX_SOURCE_DIR
                          "/tests/reference/lfcc_ref.py --time " +
                          path.string();
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
    std::FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) {
      state.SkipWithError("cannot start /usr/bin/python3");
      return;
    }
    char buf[1024] = {};
    const std::size_t n = std::fread(buf, 1, sizeof buf - 1, p);
    if (::pclose(p) != 0 || n == 0) {
      state.SkipWithError("the numpy reference failed (python3-numpy missing?)");
      return;
    }
    const std::string json(buf, n);
    const auto at = json.find("\"ns_per_channel_frame\": ");
    if (at == std::string::npos) {
      state.SkipWithError("unexpected output from the numpy reference");
      return;
    }
    const double numpy_ns = std::stod(json.substr(at + 24));
    // streamdx on the same frames: the best of 5 passes.
    double best = 1e300;
    for (int k = 0; k < 5; ++k) {
      const auto t0 = std::chrono::steady_clock::now();
      benchmark::DoNotOptimize(extract_all(recording(), kChannels));
      best = std::min(
          best,
          std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count());
    }
    const double cpp_ns = best / static_cast<double>(recording().size() * kChannels);
    state.counters["numpy_ns_per_channel_frame"] = numpy_ns;
    state.counters["streamdx_ns_per_channel_frame"] = cpp_ns;
    state.counters["speedup_vs_numpy"] = numpy_ns / cpp_ns;
  }
  std::filesystem::remove(path);
}
BENCHMARK(BM_NumpyReferenceRatio)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
}  // namespace streamdx

BENCHMARK_MAIN();
