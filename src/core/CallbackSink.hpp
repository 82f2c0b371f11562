#pragma once
// CallbackSink: a sink stage that hands every frame to a function. For commands that run a
// pipeline to collect its output in memory (training windows, evaluation posteriors).
#include <functional>
#include <string_view>
#include <utility>

#include "core/Stage.hpp"

namespace streamdx {

class CallbackSink {
 public:
  static constexpr std::string_view kName = "collect";
  explicit CallbackSink(std::function<void(const Frame&)> on_frame)
      : on_frame_(std::move(on_frame)) {}
  void consume(const Frame& frame) { on_frame_(frame); }
  void finish(EndReason /*reason*/) {}

 private:
  std::function<void(const Frame&)> on_frame_;
};

}  // namespace streamdx
