#pragma once
// StageLatencies: per-stage and end-to-end times from the stage stamps that every frame
// carries (core/Frame.hpp), collected at a sink: for each pair of consecutive stamps
// "from>to", and "end_to_end" from the first stamp to the last.
#include <map>
#include <string>
#include <vector>

#include "core/Frame.hpp"
#include "core/Json.hpp"

namespace streamdx {

class StageLatencies {
 public:
  void record(const Frame& frame);
  // Measurements of `name` that do not come from stamps.
  void add_all(const std::string& name, const std::vector<double>& ms) {
    auto& mine = ms_[name];
    mine.insert(mine.end(), ms.begin(), ms.end());
  }
  // Every measurement, by name (for plots).
  [[nodiscard]] const std::map<std::string, std::vector<double>>& samples() const { return ms_; }

  struct Summary {
    std::size_t count = 0;
    double p50_ms = 0;
    double p99_ms = 0;
    double p999_ms = 0;
    double max_ms = 0;
  };
  [[nodiscard]] std::map<std::string, Summary> summaries() const;
  // {"name": {"p50_ms": ..., "p99_ms": ..., "p999_ms": ..., "max_ms": ..., "count": ...}, ...}
  [[nodiscard]] json::Json json() const;

 private:
  std::map<std::string, std::vector<double>> ms_;
};

}  // namespace streamdx
