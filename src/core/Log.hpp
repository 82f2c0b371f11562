#pragma once
// Logging goes to stderr through spdlog, so stdout stays free for data (`streamdx ... -o -`).
#include <string_view>

namespace streamdx {

// Sets the global level from its name (trace ... off); throws std::invalid_argument otherwise.
void init_logging(std::string_view level);

// While alive, info and debug lines are held back (the level is raised to at least warn): for
// loops over many recordings, whose per-recording lines would bury the summary. Restores the
// previous level on destruction, also when an exception passes.
class QuietLogs {
 public:
  QuietLogs();
  ~QuietLogs();
  QuietLogs(const QuietLogs&) = delete;
  QuietLogs& operator=(const QuietLogs&) = delete;

 private:
  int previous_;
};

}  // namespace streamdx
