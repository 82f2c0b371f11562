#pragma once
// TraceHistory: the samples a viewer can show, per channel, addressed by absolute sample index
// (recording time x rate), so that gaps stay gaps and a frame that arrives after a drop lands
// where it belongs. A fixed capacity: the live view keeps the last minutes, replay keeps the
// whole recording. Samples never received read as NaN, which the traces leave blank.
#include <cstdint>
#include <span>
#include <vector>

namespace streamdx {

class TraceHistory {
 public:
  TraceHistory() = default;
  TraceHistory(std::size_t channels, double rate_hz, std::size_t capacity_samples);

  // `planar`: channels x count samples, the first at absolute index `first_index`.
  void append(std::int64_t first_index, std::span<const float> planar, std::size_t count);

  // Copies samples [from, from + out.size()) of `channel` into `out`; NaN where not held.
  void read(std::size_t channel, std::int64_t from, std::span<float> out) const;

  [[nodiscard]] std::size_t channels() const noexcept { return channels_; }
  [[nodiscard]] double rate_hz() const noexcept { return rate_hz_; }
  [[nodiscard]] std::int64_t begin_index() const noexcept { return begin_; }  // oldest held
  [[nodiscard]] std::int64_t end_index() const noexcept { return end_; }      // one past newest
  [[nodiscard]] bool empty() const noexcept { return end_ == begin_; }
  [[nodiscard]] double end_s() const noexcept { return static_cast<double>(end_) / rate_hz_; }

 private:
  std::size_t channels_ = 0;
  double rate_hz_ = 1;
  std::size_t capacity_ = 0;
  std::vector<float> samples_;  // channel-major rings of capacity_ samples
  std::int64_t begin_ = 0;
  std::int64_t end_ = 0;
};

// One pixel column of a decimated trace: the extremes of the samples it covers.
struct ColumnExtent {
  float min = 0;
  float max = 0;
  bool empty = true;      // no finite sample in the column
  bool min_first = true;  // the minimum comes before the maximum: draw them in that order
};

// Splits `samples` into `columns` equal runs and keeps each run's min and max, so that a
// one-sample spike still reaches the screen (plain subsampling would lose it).
void decimate_min_max(std::span<const float> samples, std::span<ColumnExtent> columns);

}  // namespace streamdx
