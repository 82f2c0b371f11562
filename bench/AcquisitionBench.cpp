// Acquisition throughput: read + montage + resample + frame a one-hour 256 Hz recording with 23
// referential channels (TCP 22 out), against EDFlib reading the same file alone, in one run.
// The file is written first with EDFlib (synthetic signal: the figures are throughput only).
#include <benchmark/benchmark.h>
#include <edflib.h>

#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "core/Random.hpp"
#include "stages/eeg/EegFileSource.hpp"

namespace streamdx {
namespace {

constexpr int kRate = 256;
constexpr int kSeconds = 3600;

const std::filesystem::path& recording() {
  static const std::filesystem::path path = [] {
    auto p = std::filesystem::temp_directory_path() / "streamdx-bench-1h-256hz.edf";
    const std::vector<std::string> names{"FP1", "FP2", "F3", "F4", "C3", "C4",   "P3", "P4",
                                         "O1",  "O2",  "F7", "F8", "T3", "T4",   "T5", "T6",
                                         "A1",  "A2",  "FZ", "CZ", "PZ", "EKG1", "ROC"};
    const int n = static_cast<int>(names.size());
    const int h = edfopen_file_writeonly(p.c_str(), EDFLIB_FILETYPE_EDFPLUS, n);
    if (h < 0) throw std::runtime_error("cannot write the benchmark recording");
    for (int s = 0; s < n; ++s) {
      edf_set_samplefrequency(h, s, kRate);
      edf_set_physical_maximum(h, s, 4999.847);
      edf_set_physical_minimum(h, s, -4999.84);
      edf_set_digital_maximum(h, s, 32767);
      edf_set_digital_minimum(h, s, -32767);
      edf_set_label(h, s, ("EEG " + names[static_cast<std::size_t>(s)] + "-REF").c_str());
    }
    SplitMix64 rng(1);
    std::vector<double> buf(kRate);
    for (int sec = 0; sec < kSeconds; ++sec) {
      for (int s = 0; s < n; ++s) {
        for (double& v : buf) v = 30 * rng.normal();
        edfwrite_physical_samples(h, buf.data());
      }
    }
    edfclose_file(h);
    return p;
  }();
  return path;
}

void BM_EdflibReadAlone(benchmark::State& state) {
  std::vector<double> buf(kRate);
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
    edf_hdr_struct hdr{};
    if (edfopen_file_readonly(recording().c_str(), &hdr, EDFLIB_DO_NOT_READ_ANNOTATIONS) != 0)
      state.SkipWithError("open");
    for (int sec = 0; sec < kSeconds; ++sec) {
      for (int s = 0; s < hdr.edfsignals; ++s) {
        edfread_physical_samples(hdr.handle, s, kRate, buf.data());
        benchmark::DoNotOptimize(buf.data());
      }
    }
    edfclose_file(hdr.handle);
  }
  state.counters["x_realtime"] = benchmark::Counter(
      kSeconds * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_AcquireFrames(benchmark::State& state) {
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
    EegFileSource src(recording(), EegSourceSettings{});
    std::vector<float> frame(src.info().shape.sample_count());
    std::size_t frames = 0;
    while (src.produce(frame, std::stop_token{})) ++frames;
    if (frames < kSeconds * 10 - 1) state.SkipWithError("frames missing");
  }
  state.counters["x_realtime"] = benchmark::Counter(
      kSeconds * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_EdflibReadAlone)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_AcquireFrames)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
}  // namespace streamdx

BENCHMARK_MAIN();
