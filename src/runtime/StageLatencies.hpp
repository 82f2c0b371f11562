#pragma once
// StageLatencies: per-stage and end-to-end times from the stage stamps that every frame
// carries (core/Frame.hpp), collected at a sink: for each pair of consecutive stamps
// "from>to", and "end_to_end" from the first stamp to the last.
//
// Memory is bounded: each name keeps its count and maximum exactly, and its values up to kKept;
// beyond that a uniform sample of kKept of them (reservoir sampling with a fixed seed, so the
// same run keeps the same values). A month-long run then holds 4.5 MB of latencies, not 50 MB a
// day; the percentiles of runs under kKept values per name are exact.
#include <cstdint>
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
    Series& mine = ms_[name];
    for (double v : ms) mine.add(v);
  }
  // The kept measurements, by name (for plots).
  [[nodiscard]] std::map<std::string, std::vector<double>> samples() const;

  static constexpr std::size_t kKept = 65536;

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
  struct Series {
    std::vector<double> kept;
    std::uint64_t count = 0;
    double max = 0;
    std::uint64_t random = 0x853c49e6748fea9bULL;  // the reservoir's generator state
    void add(double v);
  };
  std::map<std::string, Series> ms_;
};

}  // namespace streamdx
