#pragma once
// The commands of the streamdx binary, one function each, free of command-line parsing so that
// they read like plain code and can be called from tests.
#include <optional>
#include <string>
#include <string_view>

#include "core/Config.hpp"

namespace streamdx {

std::string_view version_string();

int run_version_command(bool as_json);

struct StreamCommand {
  std::string from = "sim";
  std::string to;
  bool realtime = false;
  bool preprocess = false;
  std::optional<std::int64_t> seed;
  std::optional<double> duration_s;
  std::optional<std::string> threads;
  std::optional<std::string> montage;
  std::optional<double> input_rate_hz;
};

int run_stream_command(const StreamCommand& cmd, Config& config);

int run_inspect_command(const std::string& path, Config& config);

}  // namespace streamdx
