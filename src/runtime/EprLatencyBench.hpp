#pragma once
// `streamdx bench --epr`: the live EPR pipeline's latency, from a projection's arrival to its
// updated image being published on the display feed, with a viewer subscribed in this process
// (so encoding and sending count), over a whole paced replay with the TV re-runs going on. The
// baseline, measured in the same run: one forward and inverse real FFT at the deconvolution's
// length, the work every projection needs at the least.
#include <string>

#include "core/Config.hpp"
#include "core/Json.hpp"
#include "runtime/EprLivePipeline.hpp"

namespace streamdx {

struct EprLatencyBenchResult {
  int exit_code = 0;
  EprRunOutcome run;
  double wall_s = 0;
  std::uint64_t images_received = 0;  // by the viewer
  std::uint64_t images_missed = 0;    // counter gaps the viewer saw
  std::size_t fft_size = 0;
  double fft_pair_us = 0;  // one forward + inverse real FFT of fft_size, median of many
};

EprLatencyBenchResult measure_epr_latency(const EprInput& input, EprRunSettings settings,
                                          const Config& config);

json::Json epr_latency_json(const EprInput& input, const EprRunSettings& settings,
                            const EprLatencyBenchResult& r);
std::string epr_latency_table(const EprInput& input, const EprRunSettings& settings,
                              const EprLatencyBenchResult& r);

}  // namespace streamdx
