#pragma once
// Where frames come from, and the options every reading command shares (--seed, --duration,
// --threads, --montage, --rate): each is a shortcut for one config key.
#include <cstdint>
#include <optional>
#include <string>

#include "core/Config.hpp"

namespace streamdx {

struct SourceOptions {
  std::string from = "sim";
  bool realtime = false;
  std::optional<std::int64_t> seed;
  std::optional<double> duration_s;
  std::optional<std::string> threads;
  std::optional<std::string> montage;
  std::optional<double> input_rate_hz;
};

// Writes the options that were given into their config keys (flags override the config file).
void apply_source_options(const SourceOptions& source, Config& config);

// An endless simulation (simulate.duration_s = 0) at full speed into files would fill the disk
// in minutes (28.8 GB in 9 minutes, issue 26): refused, naming the two ways out, when `source`
// is the simulator, it is not paced in real time, and the command writes files.
void refuse_endless_simulation_into_files(const SourceOptions& source, const Config& config,
                                          bool writes_files);

}  // namespace streamdx
