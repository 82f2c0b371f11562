#include "scoring/SzcoreScoring.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace streamdx {

namespace {

constexpr double kGridHz = 10;
constexpr double kMinGapS = 90;
constexpr double kMaxEventS = 300;
constexpr double kToleranceBeforeS = 30;
constexpr double kToleranceAfterS = 60;

// Python's round(): to the nearest integer, halves to even (the default FP rounding mode).
std::int64_t round_half_even(double x) {
  return static_cast<std::int64_t>(std::nearbyint(x));
}

// The grid samples [first, last) that numpy's mask[round(a * fs):round(b * fs)] selects, for a
// mask of n samples (start and stop clamped to it; a negative start counts from the end, as a
// Python slice does, which a valid event never has).
struct Slice {
  std::size_t first = 0;
  std::size_t last = 0;
};

Slice slice_of(double a, double b, std::size_t n) {
  const auto clamp = [n](std::int64_t i) {
    if (i < 0) i += static_cast<std::int64_t>(n);
    return static_cast<std::size_t>(std::clamp<std::int64_t>(i, 0, static_cast<std::int64_t>(n)));
  };
  const Slice s{clamp(round_half_even(a * kGridHz)), clamp(round_half_even(b * kGridHz))};
  return s.last > s.first ? s : Slice{s.first, s.first};
}

std::vector<Interval> merge_neighbours(std::vector<Interval> events) {
  std::size_t i = 1;
  while (i < events.size()) {
    if (events[i].first - events[i - 1].second < kMinGapS) {
      events[i - 1].second = events[i].second;
      events.erase(events.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
  return events;
}

std::vector<Interval> split_long(std::vector<Interval> events) {
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto [a, b] = events[i];
    if (b - a > kMaxEventS) {
      events[i].second = a + kMaxEventS;
      events.insert(events.begin() + static_cast<std::ptrdiff_t>(i) + 1, {a + kMaxEventS, b});
    }
  }
  return events;
}

std::vector<Interval> prepared(std::vector<Interval> events) {
  std::stable_sort(events.begin(), events.end(),
                   [](const Interval& x, const Interval& y) { return x.first < y.first; });
  return split_long(merge_neighbours(std::move(events)));
}

}  // namespace

EventCounts score_szcore(const std::vector<Interval>& ref, const std::vector<Interval>& hyp,
                         double duration_s) {
  const std::int64_t seconds = round_half_even(std::max(0.0, duration_s));
  const auto n = static_cast<std::size_t>(round_half_even(static_cast<double>(seconds) * kGridHz));
  const double file_s = static_cast<double>(n) / kGridHz;
  const std::vector<Interval> r = prepared(ref);
  const std::vector<Interval> h = prepared(hyp);

  std::vector<bool> hyp_mask(n, false);
  for (const auto& [a, b] : h) {
    const Slice s = slice_of(a, b, n);
    for (std::size_t k = s.first; k < s.last; ++k) hyp_mask[k] = true;
  }
  EventCounts c;
  std::vector<bool> true_positive(n, false);
  for (const auto& [a, b] : r) {
    const double from = std::max(0.0, a - kToleranceBeforeS);
    const double to = std::min(file_s, b + kToleranceAfterS);
    const Slice s = slice_of(from, to, n);
    std::size_t covered = 0;
    for (std::size_t k = s.first; k < s.last; ++k) covered += hyp_mask[k] ? 1U : 0U;
    // The reference's relative overlap > 1e-6; NaN (an empty widened event) is no hit.
    const double overlap = (static_cast<double>(covered) / kGridHz) / (to - from);
    if (overlap > 1e-6) {
      c.hits += 1;
      for (std::size_t k = s.first; k < s.last; ++k) true_positive[k] = true;
    } else {
      c.misses += 1;
    }
  }
  for (const auto& [a, b] : h) {
    const Slice s = slice_of(a, b, n);
    for (std::size_t k = s.first; k < s.last; ++k) {
      if (!true_positive[k]) {
        c.false_alarms += 1;
        break;
      }
    }
  }
  return c;
}

}  // namespace streamdx
