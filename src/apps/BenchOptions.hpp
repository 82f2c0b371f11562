#pragma once
// `streamdx bench`'s options, shared by its two modes: throughput (BenchCommand.cpp) and
// realtime / find-max (RealtimeBenchCommand.cpp).
#include <cstddef>
#include <string>

#include "core/Config.hpp"
#include "runtime/SourceOptions.hpp"

namespace streamdx {

// Headless benchmark. throughput: one stream through every detection stage as fast as
// possible. realtime: `streams` streams at once, each at wall-clock pace, for `seconds`.
// find_max: the most real-time streams whose p99 decision latency stays within `budget_ms`.
struct BenchOptions {
  SourceOptions source;
  std::string mode = "throughput";  // or "realtime"
  std::size_t streams = 1;
  bool find_max = false;
  double budget_ms = 100;
  double seconds = 10;      // realtime: wall-clock seconds per run (per probe with find_max)
  std::size_t workers = 0;  // realtime: worker threads (0: one per core)
  std::size_t max_streams = 65536;  // find_max: search no further
  std::string json;                 // also write the figures here
  std::string plot;                 // and draw them here (PNG)
  std::string decoder;              // realtime: a decoder service makes the model calls
  // --epr: the live EPR pipeline's update latency (runtime/EprLatencyBench.hpp) on a BES3T
  // replay; INPUT "sim" means the phalanx data under STREAMDX_DATA.
  bool epr = false;
  std::string epr_reference;
  std::string epr_fgrad;
  double epr_interval_s = 0.05;
};

int run_throughput_bench(const BenchOptions& cmd, Config& config);
int run_realtime_bench(const BenchOptions& cmd, Config& config);
int run_epr_bench(const BenchOptions& cmd, const Config& config);

}  // namespace streamdx
