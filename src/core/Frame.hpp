#pragma once
// A Frame is the unit that moves between stages: a short block of multichannel samples plus the
// metadata every later stage and every latency figure needs.
//
// Samples are planar (channel-major): samples[c * samples_per_channel + i]. Per-channel DSP then
// reads contiguous memory, which is what the feature extractor and SIMD want.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/Clock.hpp"

namespace streamdx {

// Flags are bits so that they survive the wire unchanged (docs/PROTOCOL.md).
enum FrameFlag : std::uint32_t {
  kFrameDiscontinuity = 1U << 0,  // a gap in the recording precedes this frame's first sample
  kFrameSynthetic = 1U << 1,      // the samples were generated, not recorded
};

// When a frame passed a stage. Names are short fixed strings so a frame never allocates for them
// and they cross process boundaries without a registry.
struct StageStamp {
  static constexpr std::size_t kNameCapacity = 15;
  std::array<char, kNameCapacity + 1> name{};  // NUL-terminated
  MonoNs t_ns = 0;

  [[nodiscard]] std::string_view stage() const noexcept { return std::string_view(name.data()); }
};

struct FrameShape {
  std::uint16_t channels = 0;
  std::uint16_t samples_per_channel = 0;

  [[nodiscard]] std::size_t sample_count() const noexcept {
    return std::size_t{channels} * samples_per_channel;
  }
  friend bool operator==(const FrameShape&, const FrameShape&) = default;
};

struct Frame {
  static constexpr std::size_t kMaxStamps = 16;

  std::uint32_t stream_id = 0;
  std::uint64_t sequence = 0;        // 0, 1, 2, ... per stream, assigned by the source
  std::int64_t first_sample_ns = 0;  // recording time of the first sample, from recording start
  double sample_rate_hz = 0.0;
  FrameShape shape;
  std::uint32_t flags = 0;
  std::vector<float> samples;  // shape.sample_count() values, planar

  std::array<StageStamp, kMaxStamps> stamps{};
  std::uint8_t stamp_count = 0;
  bool stamps_overflowed = false;  // more than kMaxStamps stages stamped; the latest are lost

  // Records that `stage` handled this frame at `t_ns` (now by default).
  void stamp(std::string_view stage, MonoNs t_ns = monotonic_ns()) noexcept;

  [[nodiscard]] std::span<const StageStamp> stage_stamps() const noexcept {
    return {stamps.data(), stamp_count};
  }
  // The first stamp, i.e. when the source made this frame available; 0 if none.
  [[nodiscard]] MonoNs origin_ns() const noexcept { return stamp_count ? stamps[0].t_ns : 0; }
  // The newest stamp's time, or 0 when there is none or later stamps were lost.
  [[nodiscard]] MonoNs newest_stamp_ns() const noexcept {
    return stamp_count > 0 && !stamps_overflowed ? stamps[stamp_count - 1].t_ns : 0;
  }

  [[nodiscard]] std::span<const float> channel(std::size_t c) const noexcept {
    return {samples.data() + c * shape.samples_per_channel, shape.samples_per_channel};
  }

  // Resizes the sample buffer for `s`, keeping its capacity.
  void reshape(FrameShape s) {
    shape = s;
    samples.resize(s.sample_count());
  }
};

// Refuses a frame with a NaN or an infinity, as acquisition refuses one in a file: a broken
// sensor must never read as "no seizure". Throws std::runtime_error "WHERE: frame N has a
// non-finite sample (nan) in channel LABEL at T s" (labels may be fewer than the channels).
void require_finite_samples(const Frame& frame, std::span<const std::string> labels,
                            std::string_view where);

}  // namespace streamdx
