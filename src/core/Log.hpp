#pragma once
// Logging goes to stderr through spdlog, so stdout stays free for data (`streamdx ... -o -`).
#include <string_view>

namespace streamdx {

// Sets the global level from its name (trace ... off); throws std::invalid_argument otherwise.
void init_logging(std::string_view level);

}  // namespace streamdx
