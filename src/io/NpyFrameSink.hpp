#pragma once
// NpyFrameSink: saves a stream as a NumPy array plus a JSON sidecar, so that anyone can check
// streamdx's numbers in numpy (docs/FEATURES.md shows how).
//
//   kSamples: a signal stream, rows = sample instants: (samples, channels)
//   kFrames:  one row per frame, kept whole: (frames, channels, values), e.g. the 26 LFCC
//             features per channel
//
// The sidecar (the same path with .json) names the channels and values and gives each frame's
// recording time, sequence number and gap flag, plus how the stream ended. Both files are
// atomic. A stream ended by an error or a stop is still published (nothing processed is lost),
// with "end" saying so, which is how a reader tells it from a complete run.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/Json.hpp"
#include "core/Stage.hpp"
#include "io/NpyWriter.hpp"

namespace streamdx {

enum class NpyLayout { kSamples, kFrames };

struct NpyDescription {
  std::string kind;                         // "signal", "lfcc", ...
  std::vector<std::string> channel_labels;  // missing ones become ch1, ch2, ...
  std::vector<std::string> value_names;     // kFrames: names along the last axis
  // Further top-level sidecar members, in order.
  std::vector<std::pair<std::string, json::Json>> extra;
};

class NpyFrameSink {
 public:
  static constexpr std::string_view kName = "npy-write";

  NpyFrameSink(std::filesystem::path path, NpyLayout layout, NpyDescription description);
  NpyFrameSink(NpyFrameSink&&) noexcept;
  NpyFrameSink& operator=(NpyFrameSink&&) = delete;
  NpyFrameSink(const NpyFrameSink&) = delete;
  NpyFrameSink& operator=(const NpyFrameSink&) = delete;
  ~NpyFrameSink();

  void consume(const Frame& frame);
  void finish(EndReason reason);

  // The sidecar's path for an array written to `npy_path`.
  [[nodiscard]] static std::filesystem::path sidecar_path(const std::filesystem::path& npy_path);

 private:
  void open(const Frame& first);
  [[nodiscard]] std::string sidecar(EndReason reason) const;

  std::filesystem::path path_;
  NpyLayout layout_;
  NpyDescription description_;
  std::unique_ptr<NpyWriter> writer_;
  FrameShape shape_;
  double frame_rate_hz_ = 0;  // rows per second of recording (samples or frames)
  std::vector<std::int64_t> first_sample_ns_;
  std::vector<std::uint64_t> sequences_;
  std::vector<std::uint64_t> gaps_;  // frame indices flagged kFrameDiscontinuity
  std::vector<float> scratch_;       // one frame, transposed for kSamples
};

}  // namespace streamdx
