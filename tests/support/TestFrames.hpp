#pragma once
// Frames with distinctive, reproducible contents for io tests.
#include "core/Frame.hpp"
#include "core/Random.hpp"

namespace streamdx::testing {

inline Frame make_frame(std::uint64_t sequence, std::uint16_t channels = 3,
                        std::uint16_t samples = 25, std::uint64_t seed = 42) {
  Frame f;
  f.stream_id = 7;
  f.sequence = sequence;
  // Unsigned, so that the huge sequence numbers of the layout tests wrap instead of overflowing.
  f.first_sample_ns = static_cast<std::int64_t>(sequence * 100'000'000ULL);
  f.sample_rate_hz = 250.0;
  f.flags = sequence % 5 == 0 ? kFrameDiscontinuity : 0U;
  f.reshape({channels, samples});
  SplitMix64 rng(seed + sequence);
  for (float& v : f.samples) v = static_cast<float>(rng.normal() * 50.0);
  f.stamp("source", 1000 + static_cast<MonoNs>(sequence));
  f.stamp("transform", 2000 + static_cast<MonoNs>(sequence));
  return f;
}

// Everything but the stamps, which record when (not what).
inline bool same_content(const Frame& a, const Frame& b) {
  return a.stream_id == b.stream_id && a.sequence == b.sequence &&
         a.first_sample_ns == b.first_sample_ns && a.sample_rate_hz == b.sample_rate_hz &&
         a.shape == b.shape && a.flags == b.flags && a.samples == b.samples;
}

}  // namespace streamdx::testing
