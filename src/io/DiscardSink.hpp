#pragma once
// DiscardSink: takes frames and keeps only counts; the "null" output for benchmarks and for
// pipelines whose result is a side effect.
#include <cstdint>
#include <string_view>

#include "core/Stage.hpp"

namespace streamdx {

struct DiscardSink {
  static constexpr std::string_view kName = "discard";
  std::uint64_t frames = 0;
  std::uint64_t samples = 0;

  void consume(const Frame& f) {
    ++frames;
    samples += f.samples.size();
  }
  void finish(EndReason /*reason*/) {}
};

}  // namespace streamdx
