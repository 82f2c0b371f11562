#include "gui/TraceHistory.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace streamdx {

namespace {
constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();
}

TraceHistory::TraceHistory(std::size_t channels, double rate_hz, std::size_t capacity_samples)
    : channels_(channels),
      rate_hz_(rate_hz),
      capacity_(capacity_samples),
      samples_(channels * capacity_samples, kMissing) {
  if (channels == 0 || capacity_samples == 0 || !(rate_hz > 0)) {
    throw std::invalid_argument("TraceHistory needs channels, a capacity and a positive rate");
  }
}

void TraceHistory::append(std::int64_t first_index, std::span<const float> planar,
                          std::size_t count) {
  if (planar.size() != channels_ * count) {
    throw std::invalid_argument("TraceHistory::append: block size does not match channels");
  }
  if (first_index < 0) return;
  const auto cap = static_cast<std::int64_t>(capacity_);
  const std::int64_t last = first_index + static_cast<std::int64_t>(count);
  if (end_ == begin_) begin_ = end_ = first_index;  // the first block anchors the history
  // Samples between the newest held and this block were never received: blank them.
  for (std::int64_t i = end_; i < first_index && i < end_ + cap; ++i) {
    for (std::size_t c = 0; c < channels_; ++c) {
      samples_[c * capacity_ + static_cast<std::size_t>(i % cap)] = kMissing;
    }
  }
  for (std::size_t c = 0; c < channels_; ++c) {
    float* ring = samples_.data() + c * capacity_;
    const float* in = planar.data() + c * count;
    for (std::size_t k = 0; k < count; ++k) {
      ring[static_cast<std::size_t>((first_index + static_cast<std::int64_t>(k)) % cap)] = in[k];
    }
  }
  end_ = std::max(end_, last);
  begin_ = std::max(std::min(begin_, first_index), end_ - cap);
}

void TraceHistory::read(std::size_t channel, std::int64_t from, std::span<float> out) const {
  const auto cap = static_cast<std::int64_t>(capacity_);
  const float* ring = samples_.data() + channel * capacity_;
  for (std::size_t k = 0; k < out.size(); ++k) {
    const std::int64_t i = from + static_cast<std::int64_t>(k);
    out[k] = (i >= begin_ && i < end_) ? ring[static_cast<std::size_t>(i % cap)] : kMissing;
  }
}

void decimate_min_max(std::span<const float> samples, std::span<ColumnExtent> columns) {
  const std::size_t n = samples.size();
  const std::size_t w = columns.size();
  for (std::size_t col = 0; col < w; ++col) {
    // Column col covers [col*n/w, (col+1)*n/w): every sample belongs to exactly one column.
    const std::size_t from = col * n / w;
    const std::size_t to = std::max(from + 1, (col + 1) * n / w);
    ColumnExtent e;
    std::size_t at_min = 0;
    std::size_t at_max = 0;
    for (std::size_t i = from; i < to && i < n; ++i) {
      const float v = samples[i];
      if (!std::isfinite(v)) continue;
      if (e.empty) {
        e = {v, v, false, true};
        at_min = at_max = i;
      } else if (v < e.min) {
        e.min = v;
        at_min = i;
      } else if (v > e.max) {
        e.max = v;
        at_max = i;
      }
    }
    e.min_first = at_min <= at_max;
    columns[col] = e;
  }
}

}  // namespace streamdx
