#include "core/Log.hpp"

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <algorithm>
#include <stdexcept>

namespace streamdx {

void init_logging(std::string_view level) {
  const spdlog::level::level_enum lvl = spdlog::level::from_str(std::string(level));
  // from_str maps anything unknown to "off"; only accept that when it was asked for.
  if (lvl == spdlog::level::off && level != "off") {
    throw std::invalid_argument(fmt::format(
        "unknown log level '{}' (trace, debug, info, warn, error, critical, off)", level));
  }
  static const auto logger = [] {
    auto l = spdlog::stderr_color_mt("streamdx");
    l->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    spdlog::set_default_logger(l);
    return l;
  }();
  logger->set_level(lvl);
}

QuietLogs::QuietLogs() : previous_(static_cast<int>(spdlog::get_level())) {
  spdlog::set_level(std::max(spdlog::get_level(), spdlog::level::warn));
}

QuietLogs::~QuietLogs() {
  spdlog::set_level(static_cast<spdlog::level::level_enum>(previous_));
}

}  // namespace streamdx
